/**
 * A short plain-text preview of a message (RFC 8970 PREVIEW; the index caches it for clients
 * that list mail): the first text/plain part, else the first text/html part with tags removed,
 * decoded to UTF-8, whitespace collapsed, at most PREVIEW_MAX_CHARS characters.
 */
import { partText } from './decode.ts';
import type { MimePart } from './mime-parser.ts';

/** RFC 8970: at most 200 characters. */
export const PREVIEW_MAX_CHARS = 200;

function firstPart(part: MimePart, subtype: string, depth = 0): MimePart | null {
  if (depth > 32) return null;
  if (part.type === 'multipart') {
    for (const child of part.children) {
      // Attachments are not the message text.
      if (child.disposition?.type.toLowerCase() === 'attachment') continue;
      const hit = firstPart(child, subtype, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  // An attached message's text is not this message's preview.
  if (part.message) return null;
  return part.type === 'text' && part.subtype === subtype ? part : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** Preview text of a parsed message; '' when it has no text part. */
export function preview(raw: Buffer, root: MimePart): string {
  const plain = firstPart(root, 'plain');
  const html = plain ? null : firstPart(root, 'html');
  const part = plain ?? html;
  if (!part) return '';
  // Decode a bounded prefix only: previews of huge bodies must stay cheap.
  const bounded: MimePart = { ...part, bodyEnd: Math.min(part.bodyEnd, part.bodyStart + 64 * 1024) };
  let text = partText(raw, bounded);
  if (html) text = htmlToText(text);
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  // A cut at the limit may end on the collapsed space.
  return chars.slice(0, PREVIEW_MAX_CHARS).join('').trimEnd();
}
