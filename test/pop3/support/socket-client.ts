/** A line client over a real TCP socket, for the tests that go through the listeners. */
import { connect, type Socket } from 'node:net';

export class SocketLines {
  private buf = '';
  private lines: string[] = [];
  private waiter: (() => void) | null = null;
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      for (let i = this.buf.indexOf('\r\n'); i >= 0; i = this.buf.indexOf('\r\n')) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 2);
      }
      this.wake();
    });
    socket.on('close', () => ((this.closed = true), this.wake()));
    socket.on('error', () => undefined);
  }
  static open(port: number): Promise<SocketLines> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new SocketLines(s)));
      s.once('error', reject);
    });
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
  send(text: string): void {
    this.socket.write(text, 'latin1');
  }
  async line(): Promise<string> {
    const deadline = Date.now() + 5000;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error(`no line; buffered ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 100);
      });
    }
    return this.lines.shift()!;
  }
  async waitClosed(): Promise<boolean> {
    const deadline = Date.now() + 5000;
    while (!this.closed && Date.now() < deadline) await new Promise<void>((r) => ((this.waiter = r), setTimeout(r, 100)));
    return this.closed;
  }
}
