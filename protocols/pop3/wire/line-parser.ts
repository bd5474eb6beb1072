/**
 * Incremental POP3 line reader: `push(bytes)` then `next()` until it says need-more.
 * Pure and never throws on client input. Lines end with CRLF (a bare LF is accepted too, as
 * Dovecot does). A line longer than the limit is reported once as an error and discarded up to
 * its line end; a line holding a NUL byte is an error as well.
 */

export type Pop3ParseEvent =
  | { type: 'line'; line: string }
  | { type: 'error'; message: string }
  | { type: 'need-more' };

const LF = 0x0a;
const CR = 0x0d;

export class Pop3LineParser {
  private buf: Buffer = Buffer.alloc(0);
  /** True while skipping the rest of an overlong line. */
  private discarding = false;

  constructor(private readonly maxLineLength: number) {}

  push(chunk: Uint8Array): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }

  /** Drop whatever is buffered (after STLS: pipelined plaintext must not reach the TLS session). */
  discardBuffered(): void {
    this.buf = Buffer.alloc(0);
    this.discarding = false;
  }

  /** Bytes buffered and not yet returned as lines. */
  get buffered(): number {
    return this.buf.length;
  }

  next(): Pop3ParseEvent {
    for (;;) {
      const lf = this.buf.indexOf(LF);
      if (this.discarding) {
        if (lf < 0) {
          this.buf = Buffer.alloc(0);
          return { type: 'need-more' };
        }
        this.buf = this.buf.subarray(lf + 1);
        this.discarding = false;
        continue;
      }
      if (lf < 0) {
        if (this.buf.length > this.maxLineLength + 1) {
          // +1: the CR of a CRLF may already be here while its LF is not.
          this.buf = Buffer.alloc(0);
          this.discarding = true;
          return { type: 'error', message: 'Line too long.' };
        }
        return { type: 'need-more' };
      }
      const end = lf > 0 && this.buf[lf - 1] === CR ? lf - 1 : lf;
      const lineBytes = this.buf.subarray(0, end);
      this.buf = this.buf.subarray(lf + 1);
      if (lineBytes.length > this.maxLineLength) return { type: 'error', message: 'Line too long.' };
      if (lineBytes.includes(0)) return { type: 'error', message: 'Invalid NUL byte in command.' };
      return { type: 'line', line: lineBytes.toString('utf8') };
    }
  }
}

/** Split a command line into its upper-cased keyword, its arguments and the raw rest. */
export function splitCommand(line: string): { name: string; args: string[]; rest: string } {
  const space = line.indexOf(' ');
  const name = (space < 0 ? line : line.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : line.slice(space + 1);
  const args = rest.split(' ').filter((a) => a.length > 0);
  return { name, args, rest };
}

/** Make client-supplied text safe to echo in a reply: printable ASCII, bounded length. */
export function printable(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '...' : clean;
}
