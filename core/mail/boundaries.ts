/**
 * Multipart boundary lines, found the way Dovecot finds them: a line that starts with
 * `--boundary` of any enclosing multipart (a prefix match: what follows on the line does not
 * matter), the innermost multipart's boundary tried first, `--boundary--` closing it. The line
 * end before a boundary belongs to the boundary (RFC 2046).
 */

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const NL_DASH_DASH = Buffer.from('\n--', 'latin1');

export interface BoundaryHit {
  /** Index into the boundary stack of the multipart whose boundary this is. */
  level: number;
  /** Start of the `--boundary` line. */
  pos: number;
  /** Where the content before it ends: `pos` minus the line end that precedes it. */
  prevEnd: number;
  /** After this boundary line's line end. */
  lineEnd: number;
  /** `--boundary--`. */
  close: boolean;
}

/** `--boundary` markers, outermost first. */
export type BoundaryStack = readonly Buffer[];

export function boundaryMarker(boundary: string): Buffer {
  return Buffer.from('--' + boundary, 'latin1');
}

function lineEndAfter(raw: Buffer, pos: number, limit: number): number {
  const lf = raw.indexOf(LF, pos);
  return lf === -1 || lf >= limit ? limit : lf + 1;
}

function matchAt(raw: Buffer, pos: number, limit: number, stack: BoundaryStack): BoundaryHit | null {
  for (let level = stack.length - 1; level >= 0; level--) {
    const m = stack[level]!;
    if (pos + m.length > limit) continue;
    // A byte loop exits at the first difference; cheaper than Buffer.compare on short markers.
    let i = 2;
    while (i < m.length && raw[pos + i] === m[i]) i++;
    if (i < m.length) continue;
    const after = pos + m.length;
    const close = after + 2 <= limit && raw[after] === DASH && raw[after + 1] === DASH;
    // The line end before the boundary belongs to it, even when it ended the previous line
    // (`--inner--` CRLF `--outer`): RFC 2046. Dovecot keeps that CRLF in the part; callers
    // clamp prevEnd to the part's body start.
    let prevEnd = pos;
    if (prevEnd > 0 && raw[prevEnd - 1] === LF) prevEnd--;
    if (prevEnd > 0 && raw[prevEnd - 1] === CR) prevEnd--;
    return { level, pos, prevEnd, lineEnd: lineEndAfter(raw, after, limit), close };
  }
  return null;
}

/**
 * The first boundary line of any multipart in `stack` at or after `from` (which must be at a
 * line start) and before `limit`; null when there is none.
 */
export function nextBoundary(raw: Buffer, from: number, limit: number, stack: BoundaryStack): BoundaryHit | null {
  if (stack.length === 0 || from >= limit) return null;
  if (raw[from] === DASH && raw[from + 1] === DASH) {
    const hit = matchAt(raw, from, limit, stack);
    if (hit) return hit;
  }
  let p = raw.indexOf(NL_DASH_DASH, from);
  while (p !== -1 && p + 1 < limit) {
    const hit = matchAt(raw, p + 1, limit, stack);
    if (hit) return hit;
    p = raw.indexOf(NL_DASH_DASH, p + 1);
  }
  return null;
}
