/**
 * A lean client connection for the load generators: raw bytes over net, CRLF lines and counted
 * byte runs (IMAP literals) read without building strings for bodies, so that the client costs
 * little next to the server under test. One reader at a time (each client is sequential).
 */
import { connect, type Socket } from 'node:net';

export class ConnClosed extends Error {
  readonly code = 'CONN_CLOSED';
}

type Waiter =
  | { kind: 'line'; resolve: (s: string) => void; reject: (e: Error) => void }
  | { kind: 'skip'; left: number; resolve: () => void; reject: (e: Error) => void };

/** Only loopback targets: the load generators must never be pointed at someone else's server. */
export function assertLoopback(host: string): void {
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) throw new Error(`refusing non-loopback target ${host}`);
}

export class Conn {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: Waiter | null = null;
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Bytes received, for reports. */
  received = 0;

  private constructor(
    private readonly sock: Socket,
    private readonly timeoutMs: number,
  ) {
    sock.setNoDelay(true);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      if (!this.failure) this.failure = e;
      this.settleFailure();
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new ConnClosed('connection closed')));
  }

  static open(host: string, port: number, timeoutMs = 30_000): Promise<Conn> {
    assertLoopback(host);
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      const onError = (e: Error) => reject(e);
      sock.once('error', onError);
      sock.once('connect', () => {
        sock.off('error', onError);
        resolve(new Conn(sock, timeoutMs));
      });
    });
  }

  write(data: string | Buffer): void {
    if (typeof data === 'string') this.sock.write(data, 'latin1');
    else this.sock.write(data);
  }

  /** The next line without its CRLF (latin1). */
  line(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.wait({ kind: 'line', resolve, reject });
    });
  }

  /** Consume `n` bytes without keeping them (literal bodies). */
  skip(n: number): Promise<void> {
    if (n === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.wait({ kind: 'skip', left: n, resolve, reject });
    });
  }

  close(): void {
    this.sock.destroy();
  }

  /** Half-close politely and wait for the server to close (after LOGOUT / QUIT). */
  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.sock.destroyed) return resolve();
      const t = setTimeout(() => {
        this.sock.destroy();
        resolve();
      }, 2000);
      this.sock.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.sock.end();
    });
  }

  private wait(w: Waiter): void {
    if (this.waiter) return w.reject(new Error('concurrent read'));
    this.waiter = w;
    this.timer = setTimeout(() => {
      this.failure = new Error(`timeout after ${this.timeoutMs} ms`);
      this.settleFailure();
      this.sock.destroy();
    }, this.timeoutMs);
    this.pump();
    if (this.waiter && this.failure) this.settleFailure();
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.pump();
  }

  private done(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiter = null;
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    if (w.kind === 'skip') {
      const take = Math.min(w.left, this.buf.length);
      w.left -= take;
      this.buf = this.buf.subarray(take);
      if (w.left === 0) {
        this.done();
        w.resolve();
      }
      return;
    }
    const nl = this.buf.indexOf(10);
    if (nl < 0) return;
    const end = nl > 0 && this.buf[nl - 1] === 13 ? nl - 1 : nl;
    const line = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(nl + 1);
    this.done();
    w.resolve(line);
  }

  private settleFailure(): void {
    const w = this.waiter;
    if (!w || !this.failure) return;
    this.done();
    w.reject(this.failure);
  }
}
