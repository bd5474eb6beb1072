/**
 * The header facts SORT and THREAD need from one message, taken from the top-level header
 * block only (no MIME tree): raw unfolded values of Subject, Date, From, To, Cc, Message-ID,
 * References and In-Reply-To, plus the sent date in ms (RFC 5256 2.2, adjusted to UTC).
 */
import { parseAddressList, MISSING_DOMAIN, MISSING_MAILBOX } from '../mail/address.ts';
import { decodeEncodedWords } from '../mail/decode.ts';
import { findField, parseHeaderBlock, type HeaderField } from '../mail/headers.ts';

export interface HeaderFacts {
  subject: string | null;
  date: string | null;
  from: string | null;
  to: string | null;
  cc: string | null;
  messageId: string | null;
  references: string | null;
  inReplyTo: string | null;
}

export const NO_HEADERS: HeaderFacts = {
  subject: null, date: null, from: null, to: null, cc: null, messageId: null, references: null, inReplyTo: null,
};

function value(fields: readonly HeaderField[], name: string): string | null {
  return findField(fields, name)?.value ?? null;
}

export function headerFacts(raw: Buffer): HeaderFacts {
  const { fields } = parseHeaderBlock(raw, 0, raw.length);
  return {
    subject: value(fields, 'subject'),
    date: value(fields, 'date'),
    from: value(fields, 'from'),
    to: value(fields, 'to'),
    cc: value(fields, 'cc'),
    messageId: value(fields, 'message-id'),
    references: value(fields, 'references'),
    inReplyTo: value(fields, 'in-reply-to'),
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 5322 obsolete zone names, in minutes east of UTC; military letters count as 0. */
const ZONES: Record<string, number> = {
  UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

/** A Date: value as ms since epoch (UTC), or null when it cannot be parsed. */
export function parseSentDate(v: string): number | null {
  const m = /(\d{1,2})\s*[- ]\s*([A-Za-z]{3})[a-z]*\.?\s*[- ]\s*(\d{2,4})\s+(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?/.exec(v);
  if (!m) return null;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let offset = 0;
  const zone = m[7];
  if (zone && /^[+-]/.test(zone)) {
    const n = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
    offset = zone[0] === '-' ? -n : n;
  } else if (zone) offset = ZONES[zone.toUpperCase()] ?? 0;
  const ms = Date.UTC(year, month, day, hour, minute, second) - offset * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

/** The first mailbox of an address list (group markers skipped), or null. */
function firstMailbox(v: string | null): { name: string | null; mailbox: string; host: string } | null {
  if (v === null) return null;
  for (const item of parseAddressList(v)) if (item.kind === 'mailbox') return item;
  return null;
}

/** RFC 5256 FROM/TO/CC key: the addr-mailbox (local part) of the first address, else "". */
export function addressMailboxKey(v: string | null): string {
  const a = firstMailbox(v);
  if (!a || a.mailbox === MISSING_MAILBOX) return '';
  return decodeEncodedWords(a.mailbox);
}

/**
 * RFC 5957 DISPLAYFROM/DISPLAYTO key: the decoded display name of the first address when it
 * has a non-empty one, else its addr-spec (mailbox@host); "" without an address.
 */
export function addressDisplayKey(v: string | null): string {
  const a = firstMailbox(v);
  if (!a) return '';
  const name = a.name === null ? '' : decodeEncodedWords(a.name).trim();
  if (name !== '') return name;
  const mailbox = a.mailbox === MISSING_MAILBOX ? '' : a.mailbox;
  return a.host === MISSING_DOMAIN || a.host === '' ? mailbox : `${mailbox}@${a.host}`;
}
