/**
 * FETCH BINARY[part]<partial>, BINARY.PEEK and BINARY.SIZE[part] (RFC 3516): a part's body with
 * its Content-Transfer-Encoding undone. Decoded data holding NUL goes out as literal8 (`~{n}`),
 * anything else as an ordinary literal. An encoding we cannot undo fails the whole FETCH with
 * `NO [UNKNOWN-CTE]` (UnknownCteError, caught by the FETCH handler).
 */
import { binarySection } from '../../core/mail/section.ts';
import { literal } from './encode.ts';
import type { Chunk } from './types.ts';
import type { FetchAttribute } from './wire/commands.ts';

type BinaryAttribute = Extract<FetchAttribute, { type: 'BINARY[]' | 'BINARY.SIZE' }>;

/** Thrown to end a FETCH with NO [UNKNOWN-CTE]. */
export class UnknownCteError extends Error {
  constructor() {
    super('Unknown Content-Transfer-Encoding');
  }
}

interface Source {
  mime(): Promise<{ raw: Buffer; root: import('../../core/mail/mime-parser.ts').MimePart }>;
}

/** The decoded bytes of the attribute's part. */
async function decoded(a: BinaryAttribute, src: Source): Promise<Buffer> {
  const { raw, root } = await src.mime();
  const data = binarySection(raw, root, a.part);
  if (data === null) throw new UnknownCteError();
  return data;
}

export async function renderBinary(a: BinaryAttribute, src: Source): Promise<Chunk[]> {
  const label = a.part.join('.');
  let data = await decoded(a, src);
  if (a.type === 'BINARY.SIZE') return [`BINARY.SIZE[${label}] ${data.length}`];
  let name = `BINARY[${label}]`;
  if (a.partial) {
    const start = Math.min(a.partial.start, data.length);
    data = data.subarray(start, Math.min(data.length, start + a.partial.length));
    name += `<${a.partial.start}>`;
  }
  return [`${name} `, ...(data.includes(0) ? literal8(data) : literal(data))];
}

function literal8(data: Buffer): Chunk[] {
  return [`~{${data.length}}\r\n`, data];
}
