/**
 * Test harness shared by the POP3 and LMTP suites: a fake Transport that honours the contract
 * (pause/resume queueing, STLS dropping undelivered bytes, awaited writes), an Authenticator
 * double, a connection registry and a client that sends lines and expects exact reply lines.
 */
import type { Logger } from 'pino';
import { configSchema, type Config } from '../../../core/config/schema.ts';
import type { Authenticator } from '../../../core/auth/types.ts';
import type { MailStoreProvider } from '../../../core/storage/mail-store.ts';
import type { ProtocolSession, ServerContext, SessionFactory, Transport } from '../../../protocols/net/types.ts';

const WAIT_MS = 3000;

export class FakeTransport implements Transport {
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  localPort = 110;
  secure = false;
  loopback = true;
  tlsAvailable = false;
  paused = false;
  closed = false;
  tlsStarts = 0;
  idleSeconds: number | null = null;
  /** Contract violations seen (writes after close...). */
  violations: string[] = [];
  private out = Buffer.alloc(0);
  private queue: Buffer[] = [];
  private waiters: Array<() => void> = [];
  session: ProtocolSession | null = null;

  async write(data: string | Uint8Array): Promise<void> {
    if (this.closed) {
      this.violations.push(`write after close: ${JSON.stringify(String(data).slice(0, 60))}`);
      return;
    }
    this.out = Buffer.concat([this.out, typeof data === 'string' ? Buffer.from(data) : Buffer.from(data)]);
    this.notify();
  }
  async startTls(): Promise<void> {
    this.tlsStarts++;
    this.queue = []; // bytes received after the command are never read as commands
    this.secure = true;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    queueMicrotask(() => this.flush());
  }
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
  }
  setIdleTimeout(seconds: number): void {
    this.idleSeconds = seconds;
  }

  /** Client bytes arriving; queued while the session has paused reading. */
  deliver(bytes: Buffer): void {
    this.queue.push(bytes);
    this.flush();
  }
  private flush(): void {
    while (!this.paused && !this.closed && this.queue.length > 0) this.session?.onData(this.queue.shift()!);
  }
  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Wait until `ready()` holds or the wait expires. */
  async waitFor(ready: () => boolean): Promise<boolean> {
    const deadline = Date.now() + WAIT_MS;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return true;
  }
  /** Take one complete output line (without CRLF) if there is one. */
  takeLine(): string | null {
    const lf = this.out.indexOf('\r\n');
    if (lf < 0) return null;
    const line = this.out.subarray(0, lf).toString('latin1');
    this.out = this.out.subarray(lf + 2);
    return line;
  }
  pendingOutput(): string {
    return this.out.toString('latin1');
  }
}

export class AuthDouble implements Authenticator {
  readonly users = new Map<string, string>();
  verifyCalls = 0;
  async verify(user: string, password: string): Promise<{ ok: boolean; user?: string }> {
    this.verifyCalls++;
    const ok = this.users.get(user) === password;
    return ok ? { ok, user } : { ok };
  }
  async lookup(user: string): Promise<string | null> {
    return this.users.has(user) ? user : null;
  }
}

export interface LogEntry {
  level: string;
  obj: unknown;
  msg: unknown;
}

export function recordingLogger(entries: LogEntry[]): Logger {
  const make = (): unknown => {
    const log = (level: string) => (obj: unknown, msg?: unknown) => void entries.push({ level, obj, msg });
    return {
      trace: log('trace'),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      fatal: log('fatal'),
      child: () => make(),
    };
  };
  return make() as Logger;
}

export interface HarnessOptions {
  config?: unknown;
  store: MailStoreProvider;
}

export class Harness {
  readonly auth = new AuthDouble();
  readonly logs: LogEntry[] = [];
  readonly userSlots = new Map<string, number>();
  config: Config;
  constructor(public store: MailStoreProvider, rawConfig: Record<string, unknown> = {}) {
    this.config = configSchema.parse(rawConfig);
  }
  context(): ServerContext {
    return {
      config: this.config,
      auth: this.auth,
      store: this.store,
      log: recordingLogger(this.logs),
      hostname: 'mx.test',
      connections: {
        acquireUser: (user) => {
          const n = this.userSlots.get(user) ?? 0;
          if (n >= this.config.limits.connectionsPerUser) return null;
          this.userSlots.set(user, n + 1);
          let released = false;
          return () => {
            if (!released) this.userSlots.set(user, (this.userSlots.get(user) ?? 1) - 1);
            released = true;
          };
        },
      },
    };
  }
  connect(factory: SessionFactory, setup?: (t: FakeTransport) => void, splitBytes = false): TestClient {
    const transport = new FakeTransport();
    setup?.(transport);
    const session = factory(transport, this.context());
    transport.session = session;
    return new TestClient(transport, session, splitBytes);
  }
  /** Unexpected errors the sessions logged (a test fails on any). */
  errors(): LogEntry[] {
    return this.logs.filter((l) => l.level === 'error' || l.level === 'fatal');
  }
}

export class TestClient {
  constructor(
    readonly transport: FakeTransport,
    readonly session: ProtocolSession,
    private readonly splitBytes: boolean,
  ) {}

  send(line: string): void {
    this.sendRaw(Buffer.from(line + '\r\n'));
  }
  sendRaw(bytes: Buffer): void {
    if (!this.splitBytes) return this.transport.deliver(bytes);
    for (let i = 0; i < bytes.length; i++) this.transport.deliver(bytes.subarray(i, i + 1));
  }
  async line(): Promise<string> {
    let got: string | null = null;
    const ok = await this.transport.waitFor(() => (got = this.transport.takeLine()) !== null || this.transport.closed);
    if (got !== null) return got;
    got = this.transport.takeLine();
    if (got !== null) return got;
    throw new Error(ok ? `connection closed; pending ${JSON.stringify(this.transport.pendingOutput())}` : `no reply line; pending ${JSON.stringify(this.transport.pendingOutput())}`);
  }
  async expect(...lines: string[]): Promise<void> {
    for (const want of lines) {
      const got = await this.line();
      if (got !== want) throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  async expectClosed(): Promise<void> {
    if (!(await this.transport.waitFor(() => this.transport.closed))) throw new Error('connection was not closed');
  }
  /** Let pending work finish, then check nothing unexpected was written. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const extra = this.transport.pendingOutput();
    if (extra.length > 0) throw new Error(`unexpected output: ${JSON.stringify(extra)}`);
    if (this.transport.violations.length > 0) throw new Error(this.transport.violations.join('; '));
  }
  drop(): void {
    this.transport.closed = true;
    this.session.onClose();
  }
}
