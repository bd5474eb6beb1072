/** Line-oriented test client over a net or TLS socket. */
import net from 'node:net';
import tls from 'node:tls';

export class LineClient {
  private buf = '';
  private lines: string[] = [];
  private waiters: ((l: string | null) => void)[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  constructor(public socket: net.Socket) {
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    this.bind(socket);
  }

  private bind(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
  }

  static connect(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new LineClient(s)));
      s.once('error', reject);
    });
  }

  static connectTls(port: number, ca: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () => resolve(new LineClient(s)));
      s.once('error', reject);
    });
  }

  /** Next line, or null when the connection closed first. */
  next(): Promise<string | null> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Upgrade this connection to TLS (client side of STARTTLS). */
  async upgrade(ca: string): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secured = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ socket: plain, ca, servername: 'localhost' }, () => resolve(s));
      s.once('error', reject);
    });
    this.socket = secured;
    this.bind(secured);
  }

  end(): void {
    this.socket.destroy();
  }
}
