/**
 * Rendering one message's FETCH response items. The message bytes are read at most once per
 * message per command and parsed at most once (MessageSource memoizes both).
 */
import { bodyStructure } from '../../core/mail/bodystructure.ts';
import { renderBinary } from './binary-item.ts';
import { envelope } from '../../core/mail/envelope.ts';
import { parseHeaderBlock, type HeaderField } from '../../core/mail/headers.ts';
import { parseMime, type MimePart } from '../../core/mail/mime-parser.ts';
import { preview } from '../../core/mail/preview.ts';
import { fetchSection } from '../../core/mail/section.ts';
import type { MailboxView, MessageMeta } from '../../core/storage/mail-store.ts';
import { flagList, internalDate, literal, valueChunks } from './encode.ts';
import { fetchItemCache } from './fetch-cache.ts';
import { emailIdItem, THREADID_ITEM } from './objectid.ts';
import { previewChunks } from './preview-item.ts';
import type { Chunk } from './types.ts';
import { sessionFlags } from './updates.ts';
import type { FetchAttribute } from './wire/commands.ts';

export class MessageSource {
  private raw: Promise<Buffer> | null = null;
  private parsed: MimePart | null = null;
  private metaMemo: MessageMeta | null = null;
  constructor(
    private readonly view: MailboxView,
    private readonly seq: number,
  ) {}

  /** The message's index entry, looked up once for all the items that need it. */
  meta(): MessageMeta {
    return (this.metaMemo ??= this.view.meta(this.seq));
  }

  bytes(): Promise<Buffer> {
    this.raw ??= this.view.read(this.seq);
    return this.raw;
  }

  async mime(): Promise<{ raw: Buffer; root: MimePart }> {
    const raw = await this.bytes();
    this.parsed ??= parseMime(raw);
    return { raw, root: this.parsed };
  }

  /**
   * The header fields ENVELOPE reads: from the index's header cache when it holds them all,
   * else the message's top-level fields (no MIME tree walk).
   */
  async envelopeFields(): Promise<HeaderField[]> {
    if (this.parsed) return this.parsed.headers;
    const cached = this.view.envelopeFields?.(this.seq);
    if (cached) return cached;
    const raw = await this.bytes();
    return parseHeaderBlock(raw, 0, raw.length).fields;
  }
}

/** Items that need the message bytes. */
export function needsBody(a: FetchAttribute): boolean {
  return !['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'MODSEQ', 'SAVEDATE', 'EMAILID', 'THREADID'].includes(a.type);
}

/** Items that set \Seen (RFC 3501 6.4.5). */
export function setsSeen(a: FetchAttribute): boolean {
  return a.type === 'RFC822' || a.type === 'RFC822.TEXT' || ((a.type === 'BODY[]' || a.type === 'BINARY[]') && !a.peek);
}

/** `NAME value` chunks of one item. */
export async function renderItem(view: MailboxView, seq: number, a: FetchAttribute, src: MessageSource): Promise<Chunk[]> {
  switch (a.type) {
    case 'UID':
      return [`UID ${view.uidAt(seq)}`];
    case 'FLAGS':
      return [`FLAGS ${flagList(sessionFlags(view, seq))}`];
    case 'INTERNALDATE':
      return [`INTERNALDATE ${internalDate(src.meta().internalDate)}`];
    case 'RFC822.SIZE':
      return [`RFC822.SIZE ${src.meta().size}`];
    case 'MODSEQ':
      return [`MODSEQ (${view.meta(seq).modseq})`];
    case 'SAVEDATE':
      // RFC 8514: every mailbox here records save dates, so never NIL.
      return [`SAVEDATE ${internalDate(src.meta().saveDate)}`];
    case 'EMAILID':
      return [emailIdItem(src.meta().guid)];
    case 'THREADID':
      return [THREADID_ITEM];
    case 'PREVIEW': {
      const { raw, root } = await src.mime();
      return previewChunks(a, preview(raw, root));
    }
    case 'ENVELOPE': {
      const guid = src.meta().guid;
      let chunks = fetchItemCache.get(guid, 'ENVELOPE');
      if (!chunks) fetchItemCache.set(guid, 'ENVELOPE', (chunks = valueChunks(envelope({ headers: await src.envelopeFields() }))));
      return ['ENVELOPE ', ...chunks];
    }
    case 'BODY':
    case 'BODYSTRUCTURE': {
      const guid = src.meta().guid;
      let chunks = fetchItemCache.get(guid, a.type);
      if (!chunks) {
        const { root } = await src.mime();
        fetchItemCache.set(guid, a.type, (chunks = valueChunks(bodyStructure(root, a.type === 'BODYSTRUCTURE'))));
      }
      return [`${a.type} `, ...chunks];
    }
    case 'RFC822':
      return ['RFC822 ', ...literal(await src.bytes())];
    case 'RFC822.HEADER': {
      const { raw, root } = await src.mime();
      return ['RFC822.HEADER ', ...literal(fetchSection(raw, root, { part: [], kind: 'HEADER' }))];
    }
    case 'RFC822.TEXT': {
      const { raw, root } = await src.mime();
      return ['RFC822.TEXT ', ...literal(fetchSection(raw, root, { part: [], kind: 'TEXT' }))];
    }
    case 'BINARY[]':
    case 'BINARY.SIZE':
      return renderBinary(a, src);
    case 'BODY[]': {
      let data: Buffer;
      if (a.section.part.length === 0 && a.section.kind === '') data = await src.bytes();
      else {
        const { raw, root } = await src.mime();
        data = fetchSection(raw, root, a.section);
      }
      let name = `BODY[${a.label}]`;
      if (a.partial) {
        // BODY[]<start>: answer with the bytes actually there (RFC 3501 6.4.5).
        const start = Math.min(a.partial.start, data.length);
        data = data.subarray(start, Math.min(data.length, start + a.partial.length));
        name += `<${a.partial.start}>`;
      }
      return [`${name} `, ...literal(data)];
    }
  }
}
