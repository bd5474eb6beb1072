/**
 * The IMAP receiver: a pure, incremental state machine that frames client bytes into commands
 * (lines and the literals they announce) and hands each complete command to the typed parse.
 * It never throws on client input and never touches a socket. Work happens in next(), one
 * event at a time, so state the session changes between events (authenticated, raw-line mode,
 * UTF8=ACCEPT) applies to the very next command.
 */
import type { Limits } from '../../../core/config/schema.ts';
import type { ImapCommand } from './commands.ts';
import { ByteQueue } from './byte-queue.ts';
import type { CommandSegment } from './tokenizer.ts';
import { parseCommand, extractTag } from './parse-command.ts';

export type ReceiverEvent =
  | { kind: 'need-more' }
  | { kind: 'request'; tag: string; command: ImapCommand }
  /** A synchronizing literal was accepted: send `+ Ready for literal data`. */
  | { kind: 'need-continuation' }
  | {
      kind: 'error';
      tag: string | null;
      response: 'BAD' | 'NO';
      code: string | null;
      text: string;
      /** The connection cannot continue (unwanted literal bytes are on their way): BYE and close. */
      fatal: boolean;
    }
  /** A whole line in raw-line mode (AUTHENTICATE responses, IDLE's DONE), without CRLF. */
  | { kind: 'line'; text: string };

export type ReceiverLimits = Pick<
  Limits,
  'imapLineLength' | 'imapLiteralSize' | 'imapLiteralSizePreAuth' | 'imapNonSyncLiteralSize' | 'imapNestingDepth'
> &
  /** LITERAL+ (true) or LITERAL- (false or absent), see limits.imapLiteralPlus. */
  Partial<Pick<Limits, 'imapLiteralPlus'>>;

interface LiteralAnnounce {
  size: number;
  sync: boolean;
  binary: boolean;
}

const LF = 0x0a;
/** Longest digit run accepted in `{n}` before the size is simply "too big". */
const MAX_LITERAL_DIGITS = 15;

export class ImapReceiver {
  private readonly queue = new ByteQueue();
  private segments: CommandSegment[] = [];
  private textBytes = 0;
  /** Literal bytes in the command so far: the literal limit caps their sum, not just each one. */
  private literalBytes = 0;
  private literal: LiteralAnnounce | null = null;
  private discarding = false;
  private rawLineMode = false;
  private authenticated = false;
  private utf8Accept = false;
  /** Bytes at the front of the queue already searched for LF without success. */
  private scanned = 0;
  /**
   * LITERAL+: a command whose non-synchronizing literal was too big is being read to its end and
   * thrown away; `rejectTag` is answered NO [TOOBIG] then. `skipBytes` literal bytes remain.
   */
  private rejecting = false;
  private rejectTag: string | null = null;
  private skipBytes = 0;

  constructor(private readonly limits: ReceiverLimits) {}

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  setRawLineMode(on: boolean): void {
    this.rawLineMode = on;
  }

  setAuthenticated(on: boolean): void {
    this.authenticated = on;
  }

  setUtf8Accept(on: boolean): void {
    this.utf8Accept = on;
  }

  /** Bytes received and not yet framed (for tests and back-pressure decisions). */
  get buffered(): number {
    return this.queue.length;
  }

  /**
   * Drop every byte received but not yet framed, and any partial command. After STARTTLS the
   * bytes that came in the clear must not be read as commands (CVE-2011-0411 class).
   */
  discardBuffered(): void {
    this.queue.clear();
    this.scanned = 0;
    this.discarding = false;
    this.rejecting = false;
    this.skipBytes = 0;
    this.reset();
  }

  /** True while a command is partly received (between its first byte and its last). */
  get midCommand(): boolean {
    return this.segments.length > 0 || this.literal !== null || this.rejecting;
  }

  next(): ReceiverEvent {
    for (;;) {
      if (this.skipBytes > 0) {
        // A refused LITERAL+ literal: dropped as it streams, never buffered whole.
        const n = Math.min(this.skipBytes, this.queue.length);
        this.queue.skip(n);
        this.skipBytes -= n;
        if (this.skipBytes > 0) return { kind: 'need-more' };
        continue;
      }
      if (this.literal) {
        const { size, binary } = this.literal;
        if (this.queue.length < size) return { kind: 'need-more' };
        this.segments.push({ kind: 'literal', data: this.queue.take(size), binary });
        this.literal = null;
        continue;
      }
      const lf = this.queue.indexOf(LF, this.scanned);
      if (this.discarding) {
        if (lf < 0) {
          this.queue.clear();
          return { kind: 'need-more' };
        }
        this.queue.skip(lf + 1);
        this.discarding = false;
        continue;
      }
      const maxText = this.limits.imapLineLength;
      if (lf < 0) {
        this.scanned = this.queue.length;
        // CRLF itself does not count against the limit.
        if (this.textBytes + this.queue.length > maxText + 1) return this.overlong();
        return { kind: 'need-more' };
      }
      this.scanned = 0;
      const raw = this.queue.take(lf + 1);
      const line = raw.subarray(0, raw.length - (raw.length >= 2 && raw[raw.length - 2] === 0x0d ? 2 : 1));
      if (this.textBytes + line.length > maxText) {
        const tag = this.rejecting ? this.endRejecting() : this.currentTag(line);
        this.reset();
        return lineTooLong(tag);
      }
      if (this.rejecting) {
        const event = this.continueRejecting(line);
        if (event) return event;
        continue;
      }
      if (this.rawLineMode && this.segments.length === 0) {
        return { kind: 'line', text: line.toString('utf8') };
      }
      // Stray empty lines between commands (some clients send CRLF after a literal): ignore.
      if (line.length === 0 && this.segments.length === 0) continue;

      this.segments.push({ kind: 'text', data: line });
      this.textBytes += line.length;
      const announce = findLiteralAnnounce(line);
      if (announce) {
        const event = this.acceptLiteral(announce);
        if (event) return event;
        continue;
      }
      return this.finishCommand();
    }
  }

  private acceptLiteral(announce: LiteralAnnounce): ReceiverEvent | null {
    const max = this.authenticated ? this.limits.imapLiteralSize : this.limits.imapLiteralSizePreAuth;
    const literalPlus = this.limits.imapLiteralPlus === true;
    const nonSyncMax = literalPlus ? max : Math.min(max, this.limits.imapNonSyncLiteralSize);
    const total = this.literalBytes + announce.size;
    if (announce.size > (announce.sync ? max : nonSyncMax) || total > max) {
      if (literalPlus && !announce.sync && Number.isFinite(announce.size)) return this.startRejecting(announce.size);
      return this.literalTooBig(announce);
    }
    this.literalBytes = total;
    this.literal = announce;
    return announce.sync ? { kind: 'need-continuation' } : null;
  }

  /** LITERAL+ promised any size: read the literal and the rest of the command, then refuse it. */
  private startRejecting(size: number): null {
    this.rejectTag = this.currentTag(null);
    this.reset();
    this.rejecting = true;
    this.skipBytes = size;
    return null;
  }

  /** A line after a refused literal: another non-sync literal is skipped too; else the command ends. */
  private continueRejecting(line: Buffer): ReceiverEvent | null {
    const announce = findLiteralAnnounce(line);
    if (announce && !announce.sync && Number.isFinite(announce.size)) {
      this.skipBytes = announce.size;
      return null;
    }
    // No literal follows (or a synchronizing one the client waits to be invited for): done.
    const tag = this.endRejecting();
    return { kind: 'error', tag, response: 'NO', code: 'TOOBIG', text: 'Literal too big', fatal: false };
  }

  private endRejecting(): string | null {
    const tag = this.rejectTag;
    this.rejecting = false;
    this.rejectTag = null;
    return tag;
  }

  private literalTooBig(announce: LiteralAnnounce): ReceiverEvent {
    const tag = this.currentTag(null);
    this.reset();
    if (announce.sync) {
      // The client sends nothing more for this command once it sees the tagged reply.
      return { kind: 'error', tag, response: 'NO', code: 'TOOBIG', text: 'Literal too big', fatal: false };
    }
    // LITERAL+/-: the bytes are already on their way and would be read as commands.
    return {
      kind: 'error',
      tag,
      response: 'BAD',
      code: 'TOOBIG',
      text: 'Non-synchronizing literal too big',
      fatal: true,
    };
  }

  private overlong(): ReceiverEvent {
    const tag = this.rejecting ? this.endRejecting() : this.currentTag(this.queue.peek(64));
    this.reset();
    this.discarding = true;
    this.queue.clear();
    this.scanned = 0;
    return lineTooLong(tag);
  }

  private finishCommand(): ReceiverEvent {
    const segments = this.segments;
    this.reset();
    const result = parseCommand(segments, {
      utf8Accept: this.utf8Accept,
      nestingDepth: this.limits.imapNestingDepth,
    });
    if (result.ok) return { kind: 'request', tag: result.tag, command: result.command };
    return {
      kind: 'error',
      tag: result.tag,
      response: result.response,
      code: result.code,
      text: result.text,
      fatal: false,
    };
  }

  /** The tag of the command being received, from its first line (or from `fallback`). */
  private currentTag(fallback: Buffer | null): string | null {
    const first = this.segments[0];
    if (first && first.kind === 'text') return extractTag(first.data);
    if (!fallback || this.rawLineMode) return null;
    // Only a complete tag counts: it must be followed by a space within what we have.
    const tag = extractTag(fallback);
    return tag !== null && fallback[tag.length] === 0x20 ? tag : null;
  }

  private reset(): void {
    this.segments = [];
    this.textBytes = 0;
    this.literalBytes = 0;
    this.literal = null;
  }
}

function lineTooLong(tag: string | null): ReceiverEvent {
  return { kind: 'error', tag, response: 'BAD', code: null, text: 'Command line too long', fatal: false };
}

/**
 * A literal announce (`{n}`, `{n+}`, `~{n}`) ending the line, outside any quoted string, or
 * null. An absurdly long size is Infinity, so it is refused as too big.
 */
export function findLiteralAnnounce(line: Buffer): LiteralAnnounce | null {
  const len = line.length;
  if (len < 3 || line[len - 1] !== 0x7d /* } */) return null;
  // A '}' inside an unterminated quoted string is not an announce.
  let inQuote = false;
  for (let i = 0; i < len; i++) {
    const b = line[i]!;
    if (inQuote) {
      if (b === 0x5c /* \ */) i++;
      else if (b === 0x22) inQuote = false;
    } else if (b === 0x22) inQuote = true;
  }
  if (inQuote) return null;
  let i = len - 2;
  let sync = true;
  if (line[i] === 0x2b /* + */) {
    sync = false;
    i--;
  }
  const digitsEnd = i + 1;
  while (i >= 0 && line[i]! >= 0x30 && line[i]! <= 0x39) i--;
  const digits = digitsEnd - (i + 1);
  if (digits === 0 || i < 0 || line[i] !== 0x7b /* { */) return null;
  const size = digits > MAX_LITERAL_DIGITS ? Infinity : Number(line.subarray(i + 1, digitsEnd).toString('latin1'));
  const binary = i > 0 && line[i - 1] === 0x7e; /* ~ */
  return { size, sync, binary };
}
