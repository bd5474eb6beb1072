/**
 * CATENATE (RFC 4469 section 5) in APPEND:
 *   append-data =/ "CATENATE" SP "(" cat-part *(SP cat-part) ")"
 *   cat-part    = text-literal / url      text-literal = "TEXT" SP literal   url = "URL" SP astring
 * A literal8 is accepted for TEXT as well (RFC 4469 section 6 with BINARY), and RFC 6855's
 * `UTF8 (~{n})` part after ENABLE UTF8=ACCEPT. URLs are kept as
 * text: whether they name something is the handler's question (NO [BADURL]), not a syntax error.
 */
import type { AppendMessage, CatenatePart } from './commands.ts';
import { appendData } from './parse-replace.ts';
import { Args, CommandError, clip, tokenAstring } from './parse-args.ts';

/** At most this many parts in one CATENATE: each URL may open a message. */
export const MAX_CATENATE_PARTS = 1000;

/** The append-data of one message: a literal, or CATENATE with its parts. */
export function parseAppendPayload(args: Args): Pick<AppendMessage, 'message' | 'catenate'> {
  if (args.peekAtom() !== 'CATENATE') return { message: appendData(args) };
  args.next('CATENATE');
  return { message: Buffer.alloc(0), catenate: parseCatParts(args.sub(args.list('CATENATE parts'))) };
}

function parseCatParts(args: Args): CatenatePart[] {
  const parts: CatenatePart[] = [];
  if (!args.more()) throw new CommandError('Empty CATENATE list');
  while (args.more()) {
    const kind = args.keyword('CATENATE part');
    if (kind === 'TEXT') {
      const t = args.next('CATENATE TEXT literal');
      if (t.type !== 'literal') throw new CommandError('Invalid CATENATE TEXT: expected a literal');
      parts.push({ kind: 'text', data: t.value });
    } else if (kind === 'URL') {
      const url = tokenAstring(args.next('CATENATE URL'), 'CATENATE URL');
      if (url === '') throw new CommandError('Invalid CATENATE URL: empty');
      parts.push({ kind: 'url', url });
    } else if (kind === 'UTF8') {
      // RFC 6855 4: utf8-text-literal = "UTF8" SP "(" literal8 ")", once UTF8=ACCEPT is on.
      if (!args.ctx.utf8Accept) throw new CommandError('CATENATE UTF8 needs ENABLE UTF8=ACCEPT');
      const inner = args.list('UTF8 part');
      const lit = inner[0];
      if (inner.length !== 1 || !lit || lit.type !== 'literal' || !lit.binary) {
        throw new CommandError('Invalid UTF8 part: expected (~{n} literal8)');
      }
      parts.push({ kind: 'text', data: lit.value });
    } else {
      throw new CommandError(`Unknown CATENATE part ${clip(kind)}`);
    }
    if (parts.length > MAX_CATENATE_PARTS) throw new CommandError('Too many CATENATE parts');
  }
  return parts;
}
