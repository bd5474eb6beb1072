/**
 * The parts of a message that content search keys look at, computed lazily and once:
 * the MIME tree, decoded header values, the decoded header block and the decoded body text.
 */
import { decodeEncodedWords, partText } from '../mail/decode.ts';
import { findFields, parseHeaderBlock, type HeaderField } from '../mail/headers.ts';
import { parseMime, type MimePart } from '../mail/mime-parser.ts';

export class MessageContent {
  private rootCache: MimePart | null = null;
  private headersCache: HeaderField[] | null = null;
  private headerTextCache: string | null = null;
  private bodyTextCache: string | null = null;

  constructor(readonly raw: Buffer) {}

  /** The MIME tree, parsed on first use (header keys need only the header). */
  get root(): MimePart {
    this.rootCache ??= parseMime(this.raw);
    return this.rootCache;
  }

  private get headers(): HeaderField[] {
    this.headersCache ??= this.rootCache?.headers ?? parseHeaderBlock(this.raw, 0, this.raw.length).fields;
    return this.headersCache;
  }

  /** Decoded values of every top-level header field with that name (encoded words decoded). */
  headerValues(name: string): string[] {
    return findFields(this.headers, name).map((f) => decodeEncodedWords(f.value));
  }

  hasHeader(name: string): boolean {
    return findFields(this.headers, name).length > 0;
  }

  /** The top-level header as `Name: decoded value` lines. */
  headerText(): string {
    this.headerTextCache ??= headerBlockText(this.headers);
    return this.headerTextCache;
  }

  /**
   * Decoded text of the body: every text/* part in its charset, and the headers and text of
   * attached messages. Other types (images, archives) are not searched, as in Dovecot.
   */
  bodyText(): string {
    if (this.bodyTextCache === null) {
      const chunks: string[] = [];
      collectBodyText(this.raw, this.root, chunks);
      this.bodyTextCache = chunks.join('\n');
    }
    return this.bodyTextCache;
  }
}

function headerBlockText(headers: readonly HeaderField[]): string {
  return headers.map((f) => `${f.name}: ${decodeEncodedWords(f.value)}`).join('\n');
}

function collectBodyText(raw: Buffer, part: MimePart, out: string[]): void {
  if (part.type === 'multipart') {
    for (const child of part.children) collectBodyText(raw, child, out);
    return;
  }
  if (part.message) {
    out.push(headerBlockText(part.message.headers));
    collectBodyText(raw, part.message, out);
    return;
  }
  // Parts without a usable Content-Type are text/plain already (see mime-parser).
  if (part.type === 'text') out.push(partText(raw, part));
}
