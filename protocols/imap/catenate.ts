/**
 * CATENATE (RFC 4469): builds each APPEND message from its TEXT literals and the parts of
 * messages its URLs name (RFC 5092, with URL-PARTIAL's ;PARTIAL=, RFC 5550). Any URL that does
 * not name readable data of this user (bad syntax, other host or user, no such mailbox, wrong
 * UIDVALIDITY, expunged UID, missing section, no `r` right) fails the whole command with
 * NO [BADURL url]; a result above limits.messageSize fails with NO [TOOBIG]. Mailboxes other
 * than the selected one are opened read-only for the command and closed afterwards.
 */
import { parseMime } from '../../core/mail/mime-parser.ts';
import { fetchSection, resolvePart } from '../../core/mail/section.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { badUrlText, parseImapUrl, type ImapUrl } from './imap-url.ts';
import { no, type Completion, type ImapContext } from './types.ts';
import type { AppendMessage, CatenatePart } from './wire/commands.ts';

export type CatenateResult = { ok: true; messages: AppendMessage[] } | { ok: false; completion: Completion };

class Refusal {
  constructor(readonly completion: Completion) {}
}

/** Replace every CATENATE message by its built bytes; messages without CATENATE pass through. */
export async function resolveCatenate(ctx: ImapContext, messages: readonly AppendMessage[]): Promise<CatenateResult> {
  if (!messages.some((m) => m.catenate)) return { ok: true, messages: [...messages] };
  const views = new ViewCache(ctx);
  try {
    const out: AppendMessage[] = [];
    for (const m of messages) {
      if (!m.catenate) out.push(m);
      else out.push({ flags: m.flags, internalDate: m.internalDate, message: await build(ctx, views, m.catenate) });
    }
    return { ok: true, messages: out };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, completion: e.completion };
    throw e;
  } finally {
    await views.closeAll();
  }
}

async function build(ctx: ImapContext, views: ViewCache, parts: readonly CatenatePart[]): Promise<Buffer> {
  const limit = ctx.config.limits.messageSize;
  const chunks: Buffer[] = [];
  let size = 0;
  for (const part of parts) {
    const data = part.kind === 'text' ? part.data : await fetchUrl(ctx, views, part.url);
    size += data.length;
    // Checked as we go so a huge URL list stops at the first byte too many.
    if (size > limit) throw new Refusal(no('Message too large.', 'TOOBIG'));
    chunks.push(data);
  }
  return Buffer.concat(chunks, size);
}

async function fetchUrl(ctx: ImapContext, views: ViewCache, text: string): Promise<Buffer> {
  const badUrl = () => new Refusal(no('Bad URL.', `BADURL ${badUrlText(text)}`));
  const url = parseImapUrl(text, { hostname: ctx.server.hostname, user: ctx.user ?? '' });
  if (!url) throw badUrl();
  const view = await views.get(url.mailbox);
  if (!view) throw badUrl();
  if (url.uidValidity !== null && url.uidValidity !== view.uidValidity) throw badUrl();
  const seq = view.seqOfUid(url.uid);
  if (seq === 0) throw badUrl();
  let raw: Buffer;
  try {
    raw = await view.read(seq);
  } catch {
    throw badUrl();
  }
  const data = section(raw, url);
  if (data === null) throw badUrl();
  return applyPartial(data, url.partial);
}

/** The section's bytes, or null when the URL names a part the message does not have. */
function section(raw: Buffer, url: ImapUrl): Buffer | null {
  if (url.section.part.length === 0 && url.section.kind === '') return raw;
  const root = parseMime(raw);
  if (url.section.part.length > 0) {
    const part = resolvePart(root, url.section.part);
    if (!part) return null;
    // HEADER/TEXT of a numbered part exist only for message/rfc822 parts.
    if (url.section.kind !== '' && url.section.kind !== 'MIME' && !part.message) return null;
  }
  return fetchSection(raw, root, url.section);
}

/** RFC 5550 5: `offset[.length]`; an offset past the end gives nothing, as FETCH's partial does. */
export function applyPartial(data: Buffer, partial: ImapUrl['partial']): Buffer {
  if (!partial) return data;
  const start = Math.min(partial.offset, data.length);
  const end = partial.length === null ? data.length : Math.min(data.length, start + partial.length);
  return data.subarray(start, end);
}

/** The views one command reads from: the selected one, or read-only opens closed at the end. */
class ViewCache {
  private readonly opened = new Map<string, MailboxView | null>();
  constructor(private readonly ctx: ImapContext) {}

  async get(mailbox: string | null): Promise<MailboxView | null> {
    const selected = this.ctx.view;
    if (mailbox === null) return selected;
    if (selected && selected.name === mailbox) return selected;
    if (this.opened.has(mailbox)) return this.opened.get(mailbox)!;
    let view: MailboxView | null = null;
    try {
      const mail = this.ctx.mail!;
      // The read right is what a URL needs (RFC 4469 7); missing mailboxes and refusals look alike.
      if (mail.requireRights && this.ctx.user) await mail.requireRights(mailbox, this.ctx.user, 'r');
      view = await mail.openMailbox(mailbox, { readOnly: true });
    } catch {
      view = null;
    }
    this.opened.set(mailbox, view);
    return view;
  }

  async closeAll(): Promise<void> {
    for (const v of this.opened.values()) await v?.close().catch(() => undefined);
  }
}
