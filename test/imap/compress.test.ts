/**
 * COMPRESS=DEFLATE (RFC 4978) over real sockets: a raw client that deflates and inflates itself
 * (sync-flushed responses decode as they arrive; commands split across deflate blocks; a second
 * COMPRESS is NO [COMPRESSIONACTIVE]; a big FETCH with back-pressure; corrupt input closes), and
 * imapflow, which turns compression on by itself when it is advertised.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ImapFlow } from 'imapflow';
import { startListeners, type Listeners } from '../../protocols/net/listeners.ts';
import { createImapSession } from '../../protocols/imap/session.ts';
import { createTestServer, crlf } from './harness.ts';

async function start(): Promise<{ port: number; server: ReturnType<typeof createTestServer>; close: () => Promise<void> }> {
  const server = createTestServer({
    config: { listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null } },
  });
  const listeners: Listeners = await startListeners(server.ctx, { imap: createImapSession }, { secureContext: null });
  return {
    port: listeners.ports.imap!,
    server,
    close: async () => {
      await listeners.shutdown(1000);
      await server.close();
    },
  };
}

/** A line client that can switch to raw DEFLATE in both directions. */
class RawClient {
  private readonly socket: net.Socket;
  private text = '';
  private waiters: Array<() => void> = [];
  private inflate: zlib.InflateRaw | null = null;
  private deflate: zlib.DeflateRaw | null = null;
  closed = false;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (b: Buffer) => (this.inflate ? this.inflate.write(b) : this.take(b)));
    this.socket.on('close', () => {
      // Inflated data may still be on its way: the stream ends only after it.
      if (!this.inflate) return this.markClosed();
      this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => this.markClosed());
    });
  }

  private take(b: Buffer): void {
    this.text += b.toString('latin1');
    this.wake();
  }

  private markClosed(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  startCompression(): void {
    this.inflate = zlib.createInflateRaw({ windowBits: 15 });
    this.inflate.on('data', (b: Buffer) => this.take(b));
    this.inflate.on('error', () => this.markClosed());
    this.deflate = zlib.createDeflateRaw({ windowBits: 15 });
    this.deflate.on('data', (b: Buffer) => this.socket.write(b));
  }

  /** Send bytes (deflated when compression is on), sync-flushed. */
  async send(data: string | Buffer): Promise<void> {
    if (!this.deflate) return void this.socket.write(data);
    this.deflate.write(data);
    await new Promise<void>((r) => this.deflate!.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
  }

  writeRaw(data: Buffer): void {
    this.socket.write(data);
  }

  async line(): Promise<string | null> {
    for (;;) {
      const i = this.text.indexOf('\r\n');
      if (i >= 0) {
        const l = this.text.slice(0, i);
        this.text = this.text.slice(i + 2);
        return l;
      }
      if (this.closed) return null;
      await new Promise<void>((r) => {
        const t = setTimeout(r, 3000);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
      if (!this.text.includes('\r\n') && !this.closed) throw new Error(`no line; have ${JSON.stringify(this.text.slice(0, 200))}`);
    }
  }

  /** Lines up to and including the tagged one. */
  async until(tag: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const l = await this.line();
      if (l === null) throw new Error(`closed before ${tag}; got ${JSON.stringify(out)}`);
      out.push(l);
      if (l.startsWith(`${tag} `)) return out;
    }
  }

  /** Everything still unread as raw text (to check that nothing trails the OK). */
  pendingText(): string {
    return this.text;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

async function loggedIn(port: number): Promise<RawClient> {
  const c = new RawClient(port);
  assert.match((await c.line())!, /^\* OK \[CAPABILITY .*COMPRESS=DEFLATE/);
  await c.send('a LOGIN alice secret\r\n');
  assert.match((await c.until('a')).at(-1)!, /^a OK \[CAPABILITY .*COMPRESS=DEFLATE/);
  return c;
}

test('raw client: COMPRESS DEFLATE, commands and responses compressed, COMPRESSIONACTIVE', async () => {
  const { port, close } = await start();
  const c = await loggedIn(port);
  try {
    await c.send('b COMPRESS DEFLATE\r\n');
    assert.equal(await c.until('b'), ['b OK DEFLATE active.']);
    // RFC 4978: nothing but compressed data follows the OK's CRLF.
    assert.is(c.pendingText(), '');
    c.startCompression();
    await c.send('c NOOP\r\n');
    assert.equal(await c.until('c'), ['c OK NOOP completed.']);
    // A command split over two deflate blocks, and a literal.
    await c.send('d APPEND INBOX {14}\r\n');
    assert.equal(await c.line(), '+ Ready for literal data');
    await c.send('Subject: x\r\n\r\n');
    await c.send('\r\n');
    assert.match((await c.until('d')).at(-1)!, /^d OK \[APPENDUID \d+ 1\] Append completed\.$/);
    await c.send('e COMPRESS DEFLATE\r\n');
    assert.equal(await c.until('e'), ['e NO [COMPRESSIONACTIVE] Compression is already active.']);
    await c.send('f COMPRESS BZIP9\r\n');
    assert.equal(await c.until('f'), ['f BAD Unsupported compression mechanism.']);
    await c.send('g COMPRESS\r\n');
    assert.match((await c.until('g')).at(-1)!, /^g BAD /);
    await c.send('h LOGOUT\r\n');
    assert.equal(await c.until('h'), ['* BYE Logging out', 'h OK Logout completed.']);
  } finally {
    c.destroy();
    await close();
  }
});

test('raw client: COMPRESS before login is refused in that state; session goes on', async () => {
  const { port, close } = await start();
  const c = new RawClient(port);
  try {
    await c.line();
    await c.send('a COMPRESS DEFLATE\r\n');
    assert.match((await c.until('a'))[0]!, /^a BAD COMPRESS not allowed in the not authenticated state/);
    await c.send('b NOOP\r\n');
    assert.equal(await c.until('b'), ['b OK NOOP completed.']);
  } finally {
    c.destroy();
    await close();
  }
});

test('raw client: a large compressed FETCH arrives whole and in order', async () => {
  const { port, server, close } = await start();
  // Random-ish text compresses but not to nothing: several MB through the deflate layer.
  let body = '';
  for (let i = 0; body.length < 3_000_000; i++) body += `line ${i} ${(i * 7919) % 104729}\r\n`;
  const raw = crlf(`Subject: big\n\n`) + body;
  await server.deliver('alice', 'INBOX', Buffer.from(raw));
  const c = await loggedIn(port);
  try {
    await c.send('b COMPRESS DEFLATE\r\n');
    await c.until('b');
    c.startCompression();
    await c.send('c SELECT INBOX\r\nd FETCH 1 BODY.PEEK[]\r\n');
    await c.until('c');
    const head = await c.line();
    assert.is(head, `* 1 FETCH (BODY[] {${raw.length}}`);
    // The literal contains CRLFs: collect lines until its size is reached.
    let got = '';
    while (got.length < raw.length) got += (await c.line()) + '\r\n';
    assert.is(got, raw);
    assert.is(await c.line(), ')');
    assert.equal(await c.until('d'), ['d OK Fetch completed.']);
  } finally {
    c.destroy();
    await close();
  }
});

test('raw client: IDLE over COMPRESS: the wake-up is flushed at once, DONE ends it', async () => {
  const { port, server, close } = await start();
  const c = await loggedIn(port);
  try {
    await c.send('b COMPRESS DEFLATE\r\n');
    await c.until('b');
    c.startCompression();
    await c.send('c SELECT INBOX\r\n');
    await c.until('c');
    await c.send('d IDLE\r\n');
    assert.match((await c.line())!, /^\+ /);
    await server.deliver('alice', 'INBOX', crlf('Subject: wake\n\nup\n'));
    assert.is(await c.line(), '* 1 EXISTS');
    assert.is(await c.line(), '* 1 RECENT');
    await c.send('DONE\r\n');
    assert.equal(await c.until('d'), ['d OK Idle completed.']);
  } finally {
    c.destroy();
    await close();
  }
});

test('raw client: corrupt compressed input closes the connection', async () => {
  const { port, close } = await start();
  const c = await loggedIn(port);
  try {
    await c.send('b COMPRESS DEFLATE\r\n');
    await c.until('b');
    c.startCompression();
    c.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]));
    assert.is(await c.line(), null);
    assert.ok(c.closed);
  } finally {
    c.destroy();
    await close();
  }
});

test('imapflow negotiates COMPRESS=DEFLATE and works through it', async () => {
  const { port, close } = await start();
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user: 'alice', pass: 'secret' }, logger: false });
  try {
    await c.connect();
    assert.ok(c.capabilities.has('COMPRESS=DEFLATE'));
    const message = crlf('From: a@example.org\nSubject: over deflate\n\n' + 'Hello hello hello.\n'.repeat(2000));
    const res = await c.append('INBOX', message);
    assert.is(res && res.uid, 1);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const msg = await c.fetchOne('1', { source: true, envelope: true });
      assert.ok(msg);
      assert.is(msg.envelope?.subject, 'over deflate');
      assert.is(msg.source?.toString(), message.toString());
    } finally {
      lock.release();
    }
    // imapflow keeps the streams it switched to: proof the session really is compressed.
    assert.ok((c as unknown as { _deflate?: unknown })._deflate);
    await c.logout();
  } finally {
    c.close();
    await close();
  }
});

test.run();
