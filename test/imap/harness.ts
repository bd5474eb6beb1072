/**
 * Helpers to drive IMAP sessions in tests without sockets: a fake Transport that records what
 * the session writes, a ServerContext on the real mail store (memory driver) with a simple
 * Authenticator double, and a line-oriented client.
 *
 *   const server = createTestServer();
 *   const c = server.connect();
 *   await c.expect(/^\* OK \[CAPABILITY /);
 *   await c.command('a LOGIN alice secret');   // resolves with every line up to `a ...`
 */
import { configSchema, type Config } from '../../core/config/schema.ts';
import type { Authenticator } from '../../core/auth/types.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { AppendOptions, MailStoreProvider } from '../../core/storage/mail-store.ts';
import { createConnectionRegistry } from '../../protocols/net/connection-registry.ts';
import type { ProtocolSession, ServerContext, SessionFactory, Transport } from '../../protocols/net/types.ts';
import { createImapSession } from '../../protocols/imap/session.ts';

/** How long a test waits for a line before failing (a hang guard, not a timing assertion). */
export const WAIT_MS = Number(process.env.IMAP_TEST_WAIT_MS ?? 3000);

export interface FakeTransportOptions {
  secure?: boolean;
  loopback?: boolean;
  tlsAvailable?: boolean;
  remoteAddress?: string;
}

export class FakeTransport implements Transport {
  readonly remoteAddress: string;
  readonly remotePort = 40000;
  readonly localPort = 143;
  readonly loopback: boolean;
  readonly tlsAvailable: boolean;
  secure: boolean;
  paused = false;
  closed = false;
  idleSeconds: number | null = null;
  tlsStarted = 0;
  session: ProtocolSession | null = null;
  private out: Buffer = Buffer.alloc(0);
  private inbox: Buffer[] = [];
  private lines: string[] = [];
  private waiters: Array<() => void> = [];

  constructor(opts: FakeTransportOptions = {}) {
    this.secure = opts.secure ?? false;
    this.loopback = opts.loopback ?? true;
    this.tlsAvailable = opts.tlsAvailable ?? false;
    this.remoteAddress = opts.remoteAddress ?? (this.loopback ? '127.0.0.1' : '192.0.2.10');
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.closed) return;
    // Split on CRLF in bytes, decode whole lines: a UTF-8 character may span two writes.
    const buf = Buffer.concat([this.out, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)]);
    let start = 0;
    let i: number;
    while ((i = buf.indexOf('\r\n', start)) >= 0) {
      this.lines.push(buf.toString('utf8', start, i));
      start = i + 2;
    }
    this.out = buf.subarray(start);
    this.wake();
  }

  async startTls(): Promise<void> {
    // What arrived before the handshake is plaintext injection: dropped, as the socket does.
    this.inbox.length = 0;
    this.tlsStarted++;
    this.secure = true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    while (!this.paused && this.inbox.length > 0 && !this.closed) this.session?.onData(this.inbox.shift()!);
  }

  /** Client bytes: held back while the session has paused reading, like a socket would. */
  deliver(data: Buffer): void {
    if (this.closed) return;
    if (this.paused || this.inbox.length > 0) this.inbox.push(data);
    else this.session?.onData(data);
  }

  /** Bytes held back by pause() and not yet delivered. */
  get heldBack(): number {
    return this.inbox.reduce((n, b) => n + b.length, 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    // Like the socket transport: the session hears about it once the connection is gone.
    queueMicrotask(() => this.session?.onClose());
  }

  setIdleTimeout(seconds: number): void {
    this.idleSeconds = seconds;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Next complete line written by the session (without CRLF); null once closed and drained. */
  async nextLine(waitMs = WAIT_MS): Promise<string | null> {
    const deadline = Date.now() + waitMs;
    while (this.lines.length === 0) {
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line from the server within ${waitMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return this.lines.shift()!;
  }

  /** Lines already written and not yet read. */
  pending(): string[] {
    return this.lines.slice();
  }
}

export interface TestServerOptions {
  /** Partial config merged before parsing (limits, auth, ...). */
  config?: Record<string, unknown>;
  /** user -> password; default alice/secret and bob/secret. */
  users?: Record<string, string>;
  factory?: SessionFactory;
}

/** An Authenticator double: fixed passwords, no delay, counts failures. */
export function fakeAuthenticator(users: Record<string, string>): Authenticator & { failures: number } {
  return {
    failures: 0,
    async verify(user, password) {
      const known = Object.keys(users).find((u) => u.toLowerCase() === user.toLowerCase());
      if (known !== undefined && users[known] === password) return { ok: true, user: known };
      this.failures++;
      return { ok: false };
    },
    async lookup(user) {
      return Object.keys(users).find((u) => u.toLowerCase() === user.toLowerCase()) ?? null;
    },
  };
}

export class ImapTestClient {
  constructor(
    readonly transport: FakeTransport,
    readonly session: ProtocolSession,
  ) {}

  /** Send raw text (no CRLF added). */
  sendRaw(text: string | Buffer): void {
    this.transport.deliver(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
  }

  /** Send one line; CRLF is added. */
  send(line: string): void {
    this.sendRaw(line + '\r\n');
  }

  nextLine(waitMs?: number): Promise<string | null> {
    return this.transport.nextLine(waitMs);
  }

  /** Read one line and check it. */
  async expect(expected: string | RegExp): Promise<string> {
    const line = await this.nextLine();
    const good = typeof expected === 'string' ? line === expected : line !== null && expected.test(line);
    if (!good) throw new Error(`expected ${String(expected)}\n     got ${JSON.stringify(line)}`);
    return line!;
  }

  /** Send a tagged command line and return every line up to and including its tagged reply. */
  async command(line: string): Promise<string[]> {
    const tag = line.split(' ', 1)[0]!;
    this.send(line);
    return this.readUntilTag(tag);
  }

  async readUntilTag(tag: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const l = await this.nextLine();
      if (l === null) throw new Error(`connection closed before ${tag} completed; got ${JSON.stringify(out)}`);
      out.push(l);
      if (l.startsWith(tag + ' ')) return out;
    }
  }

  /** Greeting + LOGIN; returns the login reply lines. */
  async login(user = 'alice', password = 'secret'): Promise<string[]> {
    await this.expect(/^\* OK /);
    return this.command(`L1 LOGIN ${user} ${password}`);
  }
}

export interface TestServer {
  ctx: ServerContext;
  config: Config;
  store: MailStoreProvider;
  auth: ReturnType<typeof fakeAuthenticator>;
  connect(opts?: FakeTransportOptions): ImapTestClient;
  /** Put a message straight into a user's mailbox (bypassing IMAP). */
  deliver(user: string, mailbox: string, raw: string | Buffer, opts?: AppendOptions): Promise<number>;
  close(): Promise<void>;
}

/** Lines with LF only become CRLF, as a stored message has them. */
export function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}

export function createTestServer(opts: TestServerOptions = {}): TestServer {
  const config = configSchema.parse({ storage: { driver: 'memory' }, ...(opts.config ?? {}) });
  const store = createMailStore({ config, objects: createMemoryStore() });
  const auth = fakeAuthenticator(opts.users ?? { alice: 'secret', bob: 'secret' });
  const ctx: ServerContext = {
    config,
    auth,
    store,
    log: silentLogger(),
    connections: createConnectionRegistry(config.limits.connectionsPerUser),
    hostname: 'columba.test',
  };
  const factory = opts.factory ?? createImapSession;
  const clients: ImapTestClient[] = [];
  return {
    ctx,
    config,
    store,
    auth,
    connect(topts) {
      const transport = new FakeTransport(topts);
      const session = factory(transport, ctx);
      transport.session = session;
      const c = new ImapTestClient(transport, session);
      clients.push(c);
      return c;
    },
    async deliver(user, mailbox, raw, aopts) {
      const u = await store.openUser(user);
      try {
        const r = await u.append(mailbox, Buffer.isBuffer(raw) ? raw : crlf(raw), aopts);
        return r.uid;
      } finally {
        await u.release();
      }
    },
    async close() {
      for (const c of clients) if (!c.transport.closed) await c.transport.close();
      await new Promise((r) => setTimeout(r, 0));
      await store.close();
    },
  };
}
