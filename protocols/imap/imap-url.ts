/**
 * IMAP URLs (RFC 5092) naming a message or a part of one, as CATENATE (RFC 4469) takes them,
 * with URL-PARTIAL's `/;PARTIAL=offset[.length]` (RFC 5550 section 5). Pure: text in, a
 * description or null out; null means the caller answers NO [BADURL url]. Accepted forms:
 *   imap://[user[;AUTH=mech]@]host[:port]/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]
 *   /mailbox[;UIDVALIDITY=n]/;UID=n[...]      (absolute path on this server)
 *   ;UID=n[...]                               (relative to the selected mailbox)
 * URLAUTH, EXPIRE and search URLs are not supported (BADURL).
 */
import type { SectionSpec } from '../../core/mail/types.ts';
import { decodeMutf7 } from './wire/mutf7.ts';

export interface ImapUrl {
  /** Null: relative to the selected mailbox. */
  mailbox: string | null;
  uidValidity: number | null;
  uid: number;
  section: SectionSpec;
  partial: { offset: number; length: number | null } | null;
}

export interface ImapUrlContext {
  /** This server's host name: absolute URLs must name it. */
  hostname: string;
  /** The logged-in user: an absolute URL's user part must be this one. */
  user: string;
}

const MAX_UINT32 = 4294967295;
const SECTION_KINDS = new Set(['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME']);

/** Percent-decoding to bytes, then UTF-8; null on a bad escape or invalid UTF-8. */
export function percentDecode(text: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

function nzNumber(text: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_UINT32 ? n : null;
}

function number(text: string): number | null {
  if (!/^[0-9]{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_UINT32 ? n : null;
}

/** `1.2.MIME`, `HEADER.FIELDS (To From)`, `TEXT`...: the section-text of RFC 3501 (decoded). */
export function parseUrlSection(text: string): SectionSpec | null {
  const m = /^([^ (]*)(?: ?\(([^()]*)\))?$/.exec(text.trim());
  if (!m) return null;
  const pieces = m[1]!.split('.');
  const part: number[] = [];
  while (pieces.length > 0 && /^[0-9]+$/.test(pieces[0]!)) {
    const n = nzNumber(pieces.shift()!);
    if (n === null) return null;
    part.push(n);
  }
  const kindText = pieces.join('.').toUpperCase();
  // `1.` leaves one empty piece: a trailing dot is not a section.
  if (kindText === '' && (part.length === 0 || pieces.length > 0)) return null;
  if (kindText !== '' && !SECTION_KINDS.has(kindText)) return null;
  const kind = kindText as SectionSpec['kind'];
  if (kind === 'MIME' && part.length === 0) return null;
  const wantsFields = kind === 'HEADER.FIELDS' || kind === 'HEADER.FIELDS.NOT';
  if (wantsFields !== (m[2] !== undefined)) return null;
  if (!wantsFields) return { part, kind };
  const fields = m[2]!.split(' ').filter((f) => f !== '');
  if (fields.length === 0 || fields.some((f) => !/^[\x21-\x39\x3b-\x7e]+$/.test(f))) return null;
  return { part, kind, fields };
}

/** The mailbox of a URL: UTF-8 after percent-decoding (RFC 5092), or modified UTF-7 when ASCII. */
function urlMailbox(encoded: string): string | null {
  const name = percentDecode(encoded);
  if (name === null || name === '' || /[\x00-\x1f\x7f]/.test(name)) return null;
  const decoded = /^[\x20-\x7e]*$/.test(name) ? decodeMutf7(name) : name;
  if (decoded === null) return null;
  return decoded.toUpperCase() === 'INBOX' ? 'INBOX' : decoded;
}

/** Strip and check `imap://authority/`; returns the path after the slash, or null. */
function stripServer(url: string, ctx: ImapUrlContext): string | null {
  const rest = url.slice('imap://'.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return null;
  const authority = rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userPart = authority.slice(0, at);
    const semi = userPart.indexOf(';');
    const user = percentDecode(semi >= 0 ? userPart.slice(0, semi) : userPart);
    if (semi >= 0 && !/^;AUTH=(\*|[A-Za-z0-9-_.+]+)$/i.test(userPart.slice(semi))) return null;
    if (user !== ctx.user) return null;
  }
  const hostPort = authority.slice(at + 1);
  const host = hostPort.replace(/:[0-9]*$/, '');
  if (host.toLowerCase() !== ctx.hostname.toLowerCase()) return null;
  return rest.slice(slash + 1);
}

/** Parse one URL; null when it is not a message URL on this server for this user. */
export function parseImapUrl(text: string, ctx: ImapUrlContext): ImapUrl | null {
  if (text.length === 0 || text.length > 8192 || /[\s"]/.test(text) || text.includes('?')) return null;
  let path: string;
  let relative = false;
  if (/^imap:\/\//i.test(text)) {
    const stripped = stripServer(text.slice(0, 7).toLowerCase() + text.slice(7), ctx);
    if (stripped === null) return null;
    path = stripped;
  } else if (text.startsWith('/') && !text.startsWith('//')) {
    path = text.slice(1);
  } else if (text.startsWith(';')) {
    path = text;
    relative = true;
  } else {
    return null;
  }

  // Split into segments at "/;": the first (unless relative) is mailbox[;UIDVALIDITY=n].
  const segments = path.split('/');
  let mailbox: string | null = null;
  let uidValidity: number | null = null;
  if (!relative) {
    const head = segments.shift()!;
    const m = /^([^;]*)(?:;UIDVALIDITY=([^;]*))?$/i.exec(head);
    if (!m) return null;
    mailbox = urlMailbox(m[1]!);
    if (mailbox === null) return null;
    if (m[2] !== undefined) {
      uidValidity = nzNumber(m[2]);
      if (uidValidity === null) return null;
    }
  }
  const params = new Map<string, string>();
  const order = ['UID', 'SECTION', 'PARTIAL'];
  let last = -1;
  for (const seg of segments) {
    const m = /^;([A-Za-z]+)=(.*)$/.exec(seg);
    if (!m) return null;
    const key = m[1]!.toUpperCase();
    const at = order.indexOf(key);
    // Unknown parameters (URLAUTH, EXPIRE...), repeats and a wrong order are refused.
    if (at <= last) return null;
    last = at;
    params.set(key, m[2]!);
  }
  const uid = nzNumber(params.get('UID') ?? '');
  if (uid === null) return null;
  let section: SectionSpec = { part: [], kind: '' };
  if (params.has('SECTION')) {
    const decoded = percentDecode(params.get('SECTION')!);
    const parsed = decoded === null ? null : parseUrlSection(decoded);
    if (parsed === null) return null;
    section = parsed;
  }
  let partial: ImapUrl['partial'] = null;
  if (params.has('PARTIAL')) {
    const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(params.get('PARTIAL')!);
    if (!m) return null;
    const offset = number(m[1]!);
    const length = m[2] === undefined ? null : nzNumber(m[2]);
    if (offset === null || (m[2] !== undefined && length === null)) return null;
    partial = { offset, length };
  }
  return { mailbox, uidValidity, uid, section, partial };
}

/**
 * The URL as it may appear in `[BADURL url-resp-text]` (RFC 4469 with errata 2002/4046: bare,
 * any TEXT-CHAR except "]"): other bytes are percent-encoded.
 */
export function badUrlText(url: string): string {
  const out = [...Buffer.from(url, 'utf8')]
    .map((b) => (b > 0x20 && b < 0x7f && b !== 0x5d ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return out === '' ? '%00' : out;
}
