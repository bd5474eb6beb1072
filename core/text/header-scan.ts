/**
 * Header block scan, plain TypeScript reference of the `headerScan` WASM kernel.
 *
 * Where does the RFC 5322 header end, and where does each field start? The header ends at the
 * first empty line, "\n" or "\r\n" (so CRLFCRLF, LFLF and mixed line ends all work). A field
 * starts on every header line whose first byte is not SP or HT (others are folded
 * continuations, RFC 5322 2.2.3). Lines are split on LF only; a bare CR is ordinary data.
 */

export interface HeaderScan {
  /** Offset of the empty line that ends the header (= header length), or input length. */
  headerEnd: number;
  /** Offset of the first body byte (after the empty line), or input length. */
  bodyStart: number;
  /** False when no empty line was found: the whole input is header. */
  found: boolean;
  /** Offset of each line that starts a header field, ascending. */
  fieldStarts: Uint32Array;
}

/** Reference scan; the WASM kernel (core/text/kernels.ts) must agree with it byte for byte. */
export function scanHeaderRef(bytes: Uint8Array): HeaderScan {
  const len = bytes.length;
  const starts: number[] = [];
  let q = 0;
  while (q < len) {
    const c = bytes[q]!;
    if (c === 0x0a) return done(q, q + 1, true, starts);
    if (c === 0x0d && q + 1 < len && bytes[q + 1] === 0x0a) return done(q, q + 2, true, starts);
    if (c !== 0x20 && c !== 0x09) starts.push(q);
    const lf = bytes.indexOf(0x0a, q);
    if (lf < 0) break;
    q = lf + 1;
  }
  return done(len, len, false, starts);
}

function done(headerEnd: number, bodyStart: number, found: boolean, starts: number[]): HeaderScan {
  return { headerEnd, bodyStart, found, fieldStarts: Uint32Array.from(starts) };
}
