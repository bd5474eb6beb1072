/**
 * Transport over a net.Socket (or a tls.TLSSocket after implicit TLS / STARTTLS).
 * - write() resolves when the socket accepted the bytes without exceeding its buffer, or once
 *   it drained: the session's natural back-pressure.
 * - pause()/resume() stop and restart delivery to the session (and reading from the kernel).
 * - startTls() wraps the live socket as a TLS server. Bytes that reached us before the
 *   handshake and are not a TLS record are dropped (STARTTLS command injection); the safe
 *   pattern for a session is pause() when the command is parsed, write the go-ahead, startTls().
 * - Idle timer: armed at preAuthIdleSeconds, re-armed by every received chunk; the session
 *   changes the period with setIdleTimeout().
 */
import type net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { ProtocolSession, Transport } from './types.ts';

export interface SocketTransportOptions {
  secure: boolean;
  secureContext: tls.SecureContext | null;
  idleSeconds: number;
  log: Logger;
  /** Runs once when the connection is gone (after session.onClose). */
  onClosed?: () => void;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.startsWith('127.') || ip === '::1';
}

const TLS_HANDSHAKE_RECORD = 0x16;
/** The transport a socket delivers to (set by bindSocket). */
const OWNER = Symbol('columba.transport');
type OwnedSocket = net.Socket & { [OWNER]?: SocketTransport };

// Shared socket listeners: `this` is the emitting socket.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  const t = this[OWNER];
  if (t) SocketTransport.socketData(t, chunk);
}
function onSocketError(this: OwnedSocket, err: Error): void {
  const t = this[OWNER];
  if (t) SocketTransport.socketError(t, err);
}
function onSocketClose(this: OwnedSocket): void {
  const t = this[OWNER];
  if (t) SocketTransport.socketClose(t, this);
}
/** How long close() waits for the peer before destroying the socket. */
const CLOSE_GRACE_MS = 5000;

export class SocketTransport implements Transport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly loopback: boolean;
  readonly tlsAvailable: boolean;

  private socket: net.Socket;
  private session: ProtocolSession | null = null;
  private secureNow: boolean;
  private paused = false;
  private closed = false;
  /** close() was called: nothing more is delivered to the session. */
  private closing = false;
  private upgrading = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private idleSeconds: number;
  private readonly closeWaiters: (() => void)[] = [];

  constructor(
    socket: net.Socket,
    private readonly opts: SocketTransportOptions,
  ) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.localPort = socket.localPort ?? 0;
    this.loopback = isLoopback(this.remoteAddress);
    this.tlsAvailable = opts.secureContext !== null;
    this.secureNow = opts.secure;
    this.idleSeconds = opts.idleSeconds;
  }

  get secure(): boolean {
    return this.secureNow;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Connect the session and start reading. */
  attach(session: ProtocolSession): void {
    this.session = session;
    this.bindSocket(this.socket);
    this.armIdle();
    // Adding the 'data' listener starts the flow; honour a pause() the session made early.
    if (this.paused) this.socket.pause();
  }

  /**
   * The socket's listeners are shared module-level functions that find their transport through
   * a symbol on the socket: no closures per connection (an idle connection keeps every listener
   * it ever registered, and tens of thousands of them add up).
   */
  private bindSocket(socket: net.Socket): void {
    (socket as OwnedSocket)[OWNER] = this;
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  /** @internal listener entry points (see bindSocket). */
  static socketData(t: SocketTransport, chunk: Buffer): void {
    t.deliver(chunk);
  }

  static socketError(t: SocketTransport, err: Error): void {
    t.opts.log.debug({ err: err.message, ip: t.remoteAddress }, 'socket error');
  }

  static socketClose(t: SocketTransport, socket: net.Socket): void {
    socket.off('close', onSocketClose);
    t.handleClose(socket);
  }

  private deliver(chunk: Buffer): void {
    if (this.closed || this.closing || !this.session) return;
    this.armIdle();
    try {
      this.session.onData(chunk);
    } catch (err) {
      // A session must not throw; if it does, the connection cannot be trusted any more.
      this.opts.log.error({ err }, 'session onData threw; closing connection');
      this.socket.destroy();
    }
  }

  private handleClose(socket: net.Socket): void {
    // The plain socket closing under a live TLS wrapper is not the end (the wrapper reports it).
    if (socket !== this.socket || this.closed) return;
    this.closed = true;
    this.clearIdle();
    for (const w of this.closeWaiters.splice(0)) w();
    try {
      this.session?.onClose();
    } catch (err) {
      this.opts.log.error({ err }, 'session onClose threw');
    }
    this.opts.onClosed?.();
  }

  write(data: string | Uint8Array): Promise<void> {
    if (this.closed || this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    const ok = this.socket.write(data);
    if (ok) return Promise.resolve();
    const socket = this.socket;
    return new Promise((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  async startTls(): Promise<void> {
    if (!this.opts.secureContext) throw new Error('STARTTLS: no TLS context configured');
    if (this.secureNow || this.upgrading) throw new Error('STARTTLS: TLS already active');
    if (this.closed) throw new Error('STARTTLS: connection closed');
    this.upgrading = true;
    const plain = this.socket;
    plain.off('data', onSocketData);
    plain.pause();
    // What is buffered now arrived before the client could have seen our go-ahead, unless it
    // is the start of the handshake; TLSSocket feeds whatever is left in `plain` to OpenSSL.
    const pending: Buffer[] = [];
    for (let b: Buffer | null; (b = plain.read() as Buffer | null) !== null; ) pending.push(b);
    const buffered = Buffer.concat(pending);
    if (buffered.length > 0 && buffered[0] === TLS_HANDSHAKE_RECORD) plain.unshift(buffered);
    else if (buffered.length > 0) this.opts.log.info({ ip: this.remoteAddress, bytes: buffered.length }, 'dropped plaintext sent before TLS handshake');

    const secured = new tls.TLSSocket(plain, { isServer: true, secureContext: this.opts.secureContext });
    this.socket = secured;
    this.bindSocket(secured);
    secured.pause();
    await new Promise<void>((resolve, reject) => {
      const onSecure = () => {
        secured.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        secured.off('secure', onSecure);
        reject(err);
      };
      secured.once('secure', onSecure);
      secured.once('error', onError);
      secured.once('close', () => onError(new Error('connection closed during TLS handshake')));
    }).catch((err: Error) => {
      this.upgrading = false;
      secured.destroy();
      throw err;
    });
    this.upgrading = false;
    this.secureNow = true;
    if (!this.paused) secured.resume();
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    if (!this.upgrading && !this.closed) this.socket.resume();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing = true;
    this.clearIdle();
    const socket = this.socket;
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    socket.end();
    // A peer that never reads must not hold the connection open forever.
    const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    grace.unref();
    // Reading on keeps the FIN from the peer flowing so 'close' arrives.
    if (!this.upgrading) socket.resume();
    return done.finally(() => clearTimeout(grace));
  }

  /** Drop the connection at once (shutdown of a session that did not close in time). */
  destroy(): void {
    this.socket.destroy();
  }

  setIdleTimeout(seconds: number): void {
    this.idleSeconds = seconds;
    this.clearIdle();
    this.armIdle();
  }

  private armIdle(): void {
    if (this.closed || this.idleSeconds <= 0) return;
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    // A static callback with the transport as argument: no closure per connection.
    this.idleTimer = setTimeout(SocketTransport.idleFired, this.idleSeconds * 1000, this);
  }

  private static idleFired(t: SocketTransport): void {
    t.idleTimer = null;
    if (t.closed || !t.session) return;
    try {
      t.session.onIdleTimeout();
    } catch (err) {
      t.opts.log.error({ err }, 'session onIdleTimeout threw');
      t.socket.destroy();
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
