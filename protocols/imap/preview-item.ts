/**
 * The FETCH response item of a preview. RFC 8970: `PREVIEW "text"` (an nstring; this server
 * always computes the preview, so `PREVIEW (LAZY)` gets the text too and never NIL). Dovecot's
 * draft-era form for `SNIPPET (FUZZY)` and `PREVIEW (FUZZY)`: `SNIPPET (FUZZY "text")`.
 * Non-ASCII text goes out as a literal (stringChunks decides), which every client can read.
 */
import { stringChunks } from './encode.ts';
import type { Chunk } from './types.ts';
import type { FetchAttribute } from './wire/commands.ts';

export function previewChunks(a: Extract<FetchAttribute, { type: 'PREVIEW' }>, text: string): Chunk[] {
  if (!a.fuzzy) return ['PREVIEW ', ...stringChunks(text)];
  return [`${a.item} (FUZZY `, ...stringChunks(text), ')'];
}
