/**
 * Response-side encoding the handlers need: strings (atom / quoted / literal chosen by
 * content), nested ImapValue lists, flag lists, internal dates, sequence-set compaction and
 * mailbox names in modified UTF-7. Output is a list of chunks so literals stay Buffers.
 */
import { leadingListCount, spaceBefore } from '../../core/mail/list-spacing.ts';
import type { ImapValue } from '../../core/mail/types.ts';
import type { Chunk } from './types.ts';

const ATOM_SPECIALS = /[\x00-\x20\x7f-\uffff(){%*"\\\]]/;

function needsLiteral(s: string): boolean {
  // 8-bit, CR/LF and NUL cannot be quoted; very long strings read better as literals.
  // eslint-disable-next-line no-control-regex
  return /[\r\n\x00\x80-\uffff]/.test(s) || s.length > 1024;
}

/** A string as quoted or, when the content needs it, as a literal. */
export function stringChunks(s: string | Buffer): Chunk[] {
  if (Buffer.isBuffer(s)) return literal(s);
  if (needsLiteral(s)) return literal(Buffer.from(s, 'utf8'));
  return ['"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"'];
}

export function literal(data: Buffer): Chunk[] {
  return [`{${data.length}}\r\n`, withoutNul(data)];
}

/** A literal may not carry NUL (RFC 3501 CHAR8 is %x01-ff): 0x80 instead, as Dovecot does; sizes stay. */
function withoutNul(data: Buffer): Buffer {
  let i = data.indexOf(0);
  if (i < 0) return data;
  const copy = Buffer.from(data);
  for (; i >= 0; i = copy.indexOf(0, i + 1)) copy[i] = 0x80;
  return copy;
}

/** astring: a bare atom when possible (mailbox names, like Dovecot does), else a string. */
export function astring(s: string): Chunk[] {
  if (s.length > 0 && !ATOM_SPECIALS.test(s) && s.toUpperCase() !== 'NIL') return [s];
  return stringChunks(s);
}

/** nstring / nested lists, as ENVELOPE and BODYSTRUCTURE need them. */
export function valueChunks(v: ImapValue): Chunk[] {
  if (v === null) return ['NIL'];
  if (typeof v === 'number') return [String(v)];
  if (typeof v === 'string' || Buffer.isBuffer(v)) return stringChunks(v);
  const out: Chunk[] = ['('];
  const leading = leadingListCount(v);
  v.forEach((item, i) => {
    if (spaceBefore(v, i, leading)) out.push(' ');
    out.push(...valueChunks(item));
  });
  out.push(')');
  return out;
}

/** Merge adjacent strings so a response is a handful of writes, not hundreds. */
export function joinChunks(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let text = '';
  for (const c of chunks) {
    if (typeof c === 'string') text += c;
    else {
      if (text) out.push(text), (text = '');
      out.push(c);
    }
  }
  if (text) out.push(text);
  return out;
}

export function chunksToBuffer(chunks: Chunk[]): Buffer {
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}

export function flagList(flags: readonly string[]): string {
  return '(' + flags.join(' ') + ')';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** date-time of RFC 3501: `"dd-Mon-yyyy hh:mm:ss +zzzz"` in the server's time zone. */
export function internalDate(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `"${pad(d.getDate())}-${MONTHS[d.getMonth()]}-${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}"`
  );
}

/** Compact numbers in the given order into runs: [1,2,3,7,6] -> "1:3,7,6". */
export function compactSet(nums: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < nums.length) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    parts.push(j > i ? `${nums[i]}:${nums[j]}` : String(nums[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** Modified UTF-7 (RFC 3501 5.1.3) for mailbox names on the wire. */
export function encodeMailboxName(name: string): string {
  let out = '';
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const bytes = Buffer.alloc(pending.length * 2);
    pending.forEach((u, i) => bytes.writeUInt16BE(u, i * 2));
    out += '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const u = name.charCodeAt(i);
    if (u >= 0x20 && u <= 0x7e) {
      flush();
      out += u === 0x26 ? '&-' : name[i];
    } else pending.push(u);
  }
  flush();
  return out;
}

/**
 * A mailbox name as it goes on the wire: modified UTF-7, then atom or quoted; as UTF-8 when
 * `utf8` (IMAP4rev2 / UTF8=ACCEPT), where 8-bit names go out as quoted UTF-8.
 */
export function mailboxChunks(name: string, utf8 = false): Chunk[] {
  // RFC 6855 3 / RFC 9051: quoted strings may carry UTF-8 once it is enabled.
  // eslint-disable-next-line no-control-regex
  if (utf8 && /[\x80-\uffff]/.test(name) && !/[\r\n\x00]/.test(name) && name.length <= 1024) {
    return ['"' + name.replace(/[\\"]/g, (c) => '\\' + c) + '"'];
  }
  return astring(utf8 ? name : encodeMailboxName(name));
}
