/**
 * The DATA body reader (RFC 5321 section 4.5.2): dot-unstuffing, the lone "." terminator,
 * bare LF accepted as a line end and stored as CRLF. It keeps at most `maxMessage` bytes and
 * lines of at most `maxLine` bytes; past either limit it keeps reading to the terminator and
 * only records the problem, so the client gets its per-recipient replies at the end.
 * Runs of ordinary CRLF lines are kept as slices of the input, not copied line by line.
 */

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');

export type DataProblem = 'too-big' | 'line-too-long' | null;

export interface DataResult {
  /** The message with CRLF line ends; null when a problem made us drop it. */
  message: Buffer | null;
  problem: DataProblem;
  /** Bytes of the unstuffed message (counted even when dropped). */
  size: number;
}

export class DotDataReader {
  private parts: Buffer[] = [];
  private size = 0;
  private problem: DataProblem = null;
  /** Pieces of the current line not yet ended by LF. */
  private partial: Buffer[] = [];
  private partialLength = 0;
  private overlong = false;

  constructor(
    private readonly maxMessage: number,
    private readonly maxLine: number,
  ) {}

  /** Consume bytes; returns how many were used and whether the terminator was seen. */
  feed(buf: Buffer): { consumed: number; done: boolean } {
    let pos = 0;
    let runStart = 0;
    while (pos < buf.length) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) {
        this.keep(buf.subarray(runStart, pos));
        this.addPartial(buf.subarray(pos));
        return { consumed: buf.length, done: false };
      }
      const plain = this.partial.length === 0 && !this.overlong;
      if (plain && lf > pos && buf[lf - 1] === CR && buf[pos] !== DOT && lf + 1 - pos <= this.maxLine + 2) {
        // An ordinary CRLF line: extend the current run of untouched input.
        pos = lf + 1;
        continue;
      }
      this.keep(buf.subarray(runStart, pos));
      const piece = buf.subarray(pos, lf);
      pos = lf + 1;
      runStart = pos;
      if (this.endLine(piece)) return { consumed: pos, done: true };
    }
    this.keep(buf.subarray(runStart, pos));
    return { consumed: buf.length, done: false };
  }

  result(): DataResult {
    const message = this.problem ? null : Buffer.concat(this.parts);
    return { message, problem: this.problem, size: this.size };
  }

  private addPartial(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.overlong) return;
    if (this.partialLength + piece.length > this.maxLine + 1) {
      this.markOverlong();
      return;
    }
    this.partial.push(piece);
    this.partialLength += piece.length;
  }

  private markOverlong(): void {
    this.overlong = true;
    this.partial = [];
    this.partialLength = 0;
    if (!this.problem) this.setProblem('line-too-long');
  }

  /** A line ended by LF (piece excludes the LF). Returns true at the terminator. */
  private endLine(piece: Buffer): boolean {
    if (this.overlong) {
      this.overlong = false;
      this.size += piece.length + 2;
      return false;
    }
    let line = this.partial.length > 0 ? Buffer.concat([...this.partial, piece]) : piece;
    this.partial = [];
    this.partialLength = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLine) {
      if (!this.problem) this.setProblem('line-too-long');
      this.size += line.length + 2;
      return false;
    }
    if (line.length === 1 && line[0] === DOT) return true;
    if (line.length > 0 && line[0] === DOT) line = line.subarray(1);
    this.keep(line);
    this.keep(CRLF);
    return false;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.problem) return;
    if (this.size > this.maxMessage) return this.setProblem('too-big');
    this.parts.push(bytes);
  }

  private setProblem(problem: Exclude<DataProblem, null>): void {
    this.problem = problem;
    this.parts = [];
  }
}

/** Bare LF -> CRLF (BDAT data is not line-oriented on the wire but is stored with CRLF). */
export function normalizeLineEnds(data: Buffer): Buffer {
  let bare = false;
  for (let i = data.indexOf(LF); i >= 0; i = data.indexOf(LF, i + 1)) {
    if (i === 0 || data[i - 1] !== CR) {
      bare = true;
      break;
    }
  }
  if (!bare) return data;
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = data.indexOf(LF); i >= 0; i = data.indexOf(LF, i + 1)) {
    if (i > 0 && data[i - 1] === CR) continue;
    parts.push(data.subarray(start, i), CRLF);
    start = i + 1;
  }
  parts.push(data.subarray(start));
  return Buffer.concat(parts);
}
