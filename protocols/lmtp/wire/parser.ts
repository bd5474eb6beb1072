/**
 * Incremental LMTP receiver: command lines, DATA bodies (after the session said 354) and BDAT
 * chunks (RFC 3030). `push(bytes)` then `next()` until need-more; never throws on client input.
 *
 * BDAT framing is the parser's job, not the session's: a well-formed `BDAT n [LAST]` is always
 * followed by exactly n bytes, which must be consumed even when the command is refused (RFC 3030
 * section 2), so the event arrives only once the whole chunk is in. A malformed BDAT line comes
 * out as a plain command: the session cannot know where its data ends and must close.
 */
import { DotDataReader, type DataResult } from './data-reader.ts';

export interface LmtpLimits {
  lineLength: number;
  dataLineLength: number;
  messageSize: number;
}

export type LmtpEvent =
  | { type: 'command'; verb: string; args: string; utf8: boolean }
  | { type: 'error'; reply: string }
  | ({ type: 'data' } & DataResult)
  | { type: 'bdat'; size: number; last: boolean; chunk: Buffer | null }
  | { type: 'need-more' };

const LF = 0x0a;
const CR = 0x0d;
const BDAT_ARGS = /^([0-9]{1,15})(?: +(LAST))? *$/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

type Mode =
  | { kind: 'command' }
  | { kind: 'discard-line' }
  | { kind: 'data'; reader: DotDataReader }
  | { kind: 'chunk'; size: number; last: boolean; left: number; parts: Buffer[] | null };

export class LmtpParser {
  private buf: Buffer = Buffer.alloc(0);
  private mode: Mode = { kind: 'command' };

  constructor(private readonly limits: LmtpLimits) {}

  push(chunk: Uint8Array): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }

  /** After a 354 reply: the following bytes are a DATA body up to "<CRLF>.<CRLF>". */
  beginData(): void {
    this.mode = { kind: 'data', reader: new DotDataReader(this.limits.messageSize, this.limits.dataLineLength) };
  }

  next(): LmtpEvent {
    for (;;) {
      switch (this.mode.kind) {
        case 'data': {
          const { consumed, done } = this.mode.reader.feed(this.buf);
          this.buf = this.buf.subarray(consumed);
          if (!done) return { type: 'need-more' };
          const result = this.mode.reader.result();
          this.mode = { kind: 'command' };
          return { type: 'data', ...result };
        }
        case 'chunk': {
          const mode = this.mode;
          const take = Math.min(mode.left, this.buf.length);
          if (take > 0) mode.parts?.push(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          mode.left -= take;
          if (mode.left > 0) return { type: 'need-more' };
          this.mode = { kind: 'command' };
          const chunk = mode.parts ? Buffer.concat(mode.parts) : null;
          return { type: 'bdat', size: mode.size, last: mode.last, chunk };
        }
        case 'discard-line': {
          const lf = this.buf.indexOf(LF);
          if (lf < 0) {
            this.buf = Buffer.alloc(0);
            return { type: 'need-more' };
          }
          this.buf = this.buf.subarray(lf + 1);
          this.mode = { kind: 'command' };
          continue;
        }
        case 'command':
          return this.nextCommand();
      }
    }
  }

  private nextCommand(): LmtpEvent {
    const lf = this.buf.indexOf(LF);
    if (lf < 0) {
      if (this.buf.length > this.limits.lineLength + 1) {
        this.buf = Buffer.alloc(0);
        this.mode = { kind: 'discard-line' };
        return { type: 'error', reply: '500 5.5.2 Line too long' };
      }
      return { type: 'need-more' };
    }
    const end = lf > 0 && this.buf[lf - 1] === CR ? lf - 1 : lf;
    const line = this.buf.subarray(0, end);
    this.buf = this.buf.subarray(lf + 1);
    if (line.length > this.limits.lineLength) return { type: 'error', reply: '500 5.5.2 Line too long' };
    if (line.includes(0)) return { type: 'error', reply: '500 5.5.2 Invalid NUL byte in command' };
    const space = line.indexOf(0x20);
    const verb = line.subarray(0, space < 0 ? line.length : space).toString('latin1').toUpperCase();
    const rawArgs = space < 0 ? Buffer.alloc(0) : line.subarray(space + 1);
    let args: string;
    let utf8 = true;
    try {
      args = strictUtf8.decode(rawArgs);
    } catch {
      args = rawArgs.toString('latin1');
      utf8 = false;
    }
    if (verb === 'BDAT') {
      const m = BDAT_ARGS.exec(args);
      if (m) {
        const size = Number(m[1]);
        // A chunk larger than a whole message is consumed but not kept.
        const parts = size <= this.limits.messageSize ? [] : null;
        this.mode = { kind: 'chunk', size, last: m[2] !== undefined, left: size, parts };
        return this.next();
      }
    }
    return { type: 'command', verb, args, utf8 };
  }
}
