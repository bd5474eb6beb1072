/**
 * COMPRESS=DEFLATE (RFC 4978): a Transport that sits between the IMAP session and the real
 * connection. Output is raw DEFLATE (no zlib header), flushed with Z_SYNC_FLUSH after every
 * write (the session writes a response burst at a time), so the client can decode each
 * response as soon as it arrives. Input is inflated and handed on in order. Back-pressure:
 * write() resolves once the compressed bytes were accepted by the inner transport, and
 * pausing also pauses the inflater, so a small compressed input cannot balloon in memory
 * while the session is not reading.
 */
import zlib from 'node:zlib';
import type { Transport } from '../net/types.ts';

/** RFC 4978 section 4: raw deflate with the largest window (accepts any client window size). */
const WINDOW_BITS = 15;

export class DeflateTransport implements Transport {
  private readonly deflate = zlib.createDeflateRaw({ windowBits: WINDOW_BITS });
  private readonly inflate = zlib.createInflateRaw({ windowBits: WINDOW_BITS });
  /** Compressed output, written to the inner transport strictly in order. */
  private sent: Promise<void> = Promise.resolve();
  private ended = false;

  /**
   * @param deliver gets the client's bytes, inflated.
   * @param onError a corrupt compressed stream from the client: the connection cannot go on.
   */
  constructor(
    private readonly inner: Transport,
    deliver: (chunk: Buffer) => void,
    onError: (err: Error) => void,
  ) {
    this.deflate.on('data', (chunk: Buffer) => {
      this.sent = this.sent.then(() => this.inner.write(chunk));
    });
    this.inflate.on('data', (chunk: Buffer) => {
      if (!this.ended) deliver(chunk);
    });
    const fail = (err: Error) => {
      if (this.ended) return;
      this.ended = true;
      onError(err);
    };
    this.inflate.on('error', fail);
    this.deflate.on('error', fail);
  }

  get remoteAddress(): string {
    return this.inner.remoteAddress;
  }
  get remotePort(): number {
    return this.inner.remotePort;
  }
  get localPort(): number {
    return this.inner.localPort;
  }
  get secure(): boolean {
    return this.inner.secure;
  }
  get loopback(): boolean {
    return this.inner.loopback;
  }
  get tlsAvailable(): boolean {
    return this.inner.tlsAvailable;
  }

  /** Compressed bytes from the connection. */
  input(chunk: Buffer): void {
    if (!this.ended) this.inflate.write(chunk);
  }

  write(data: string | Uint8Array): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.deflate.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      // The flush callback runs after the output of this flush was emitted as 'data'.
      this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(this.sent));
    });
  }

  startTls(): Promise<void> {
    // STARTTLS is only valid before login, COMPRESS only after: a session never asks.
    return Promise.reject(new Error('STARTTLS over COMPRESS is not possible'));
  }

  pause(): void {
    this.inflate.pause();
    this.inner.pause();
  }

  resume(): void {
    this.inflate.resume();
    this.inner.resume();
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.sent.catch(() => undefined);
    }
    this.deflate.destroy();
    this.inflate.destroy();
    await this.inner.close();
  }

  setIdleTimeout(seconds: number): void {
    this.inner.setIdleTimeout(seconds);
  }
}
