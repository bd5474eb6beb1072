/**
 * A minimal LMTP client for end-to-end and fault tests: one transaction per call, reporting the
 * per-recipient replies exactly as the server sent them.
 */
import { connect, type Socket } from 'node:net';

export interface LmtpDelivery {
  from: string;
  to: string[];
  /** Message with CRLF line ends, not dot-stuffed. */
  message: string;
}

class LineReader {
  private buf = '';
  private waiters: Array<(line: string) => void> = [];
  private lines: string[] = [];
  private closed: Error | null = null;
  private failers: Array<(e: Error) => void> = [];
  constructor(sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        const w = this.waiters.shift();
        this.failers.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    const fail = (e: Error) => {
      this.closed = e;
      for (const f of this.failers.splice(0)) f(e);
      this.waiters = [];
    };
    sock.on('close', () => fail(new Error('connection closed')));
    sock.on('error', (e) => fail(e));
  }
  line(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      this.failers.push(reject);
    });
  }
  /** A whole (possibly multi-line) reply; returns its last line. */
  async reply(): Promise<string> {
    for (;;) {
      const l = await this.line();
      if (l[3] !== '-') return l;
    }
  }
}

export class LmtpClient {
  private constructor(
    private sock: Socket,
    private reader: LineReader,
  ) {}

  static async connect(port: number, host = '127.0.0.1'): Promise<LmtpClient> {
    const sock = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const c = new LmtpClient(sock, new LineReader(sock));
    const greet = await c.reader.reply();
    if (!greet.startsWith('220')) throw new Error(`greeting: ${greet}`);
    await c.command('LHLO test.example');
    return c;
  }

  async command(line: string): Promise<string> {
    this.sock.write(line + '\r\n');
    return this.reader.reply();
  }

  /** Returns one reply per recipient accepted at RCPT, in order; rejected recipients get their RCPT reply. */
  async deliver(d: LmtpDelivery): Promise<string[]> {
    const mail = await this.command(`MAIL FROM:<${d.from}>`);
    if (!mail.startsWith('250')) throw new Error(`MAIL: ${mail}`);
    const replies: Array<string | null> = [];
    for (const rcpt of d.to) {
      const r = await this.command(`RCPT TO:<${rcpt}>`);
      replies.push(r.startsWith('250') ? null : r);
    }
    if (replies.every((r) => r !== null)) {
      await this.command('RSET');
      return replies as string[];
    }
    const data = await this.command('DATA');
    if (!data.startsWith('354')) throw new Error(`DATA: ${data}`);
    const stuffed = d.message.replace(/^\./gm, '..');
    this.sock.write(stuffed + (stuffed.endsWith('\r\n') ? '' : '\r\n') + '.\r\n');
    const out: string[] = [];
    for (const r of replies) out.push(r ?? (await this.reader.reply()));
    return out;
  }

  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } catch {
      // already gone
    }
    this.sock.destroy();
  }

  destroy(): void {
    this.sock.destroy();
  }
}
