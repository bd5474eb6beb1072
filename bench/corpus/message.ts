/**
 * One corpus message from a plan: header set, then a body shaped as text/plain,
 * multipart/alternative (text + HTML) or multipart/mixed (body + base64 attachments), in one of
 * the charsets ISPs see most. Every line ends in CRLF and stays under 998 octets.
 */
import iconv from 'iconv-lite';
import { base64Lines, encodedWords, quotedPrintable } from './encode.ts';
import { hex, mailer, rfc5322Date, type Person } from './people.ts';
import { GB2312_SENTENCES, LATIN1_SENTENCES, SHIFT_JIS_SENTENCES, UTF8_EXTRAS, wrap, type Prose } from './prose.ts';
import type { Rng } from './rng.ts';

export type Charset = 'us-ascii' | 'utf-8' | 'iso-8859-1' | 'shift_jis' | 'gb2312';
export type Shape = 'plain' | 'alternative' | 'mixed';

export interface MessagePlan {
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  /** UTC milliseconds and the sender's zone offset in minutes. */
  dateMs: number;
  zoneMin: number;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  charset: Charset;
  shape: Shape;
  /** Rough size wanted; the result lands near it (within a few hundred bytes for small ones). */
  targetBytes: number;
  listId: string | null;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const encodeIn = (charset: Charset, s: string): Buffer =>
  charset === 'utf-8' || charset === 'us-ascii' ? Buffer.from(s, charset === 'utf-8' ? 'utf8' : 'latin1') : iconv.encode(s, charset);

function addressList(people: Person[]): string {
  return people.map((p) => `${encodedWords(p.name, 'UTF-8', utf8).includes('=?') ? encodedWords(p.name, 'UTF-8', utf8) : `"${p.name}"`} <${p.address}>`).join(',\r\n ');
}

const CJK_WIRE_BYTES = 2.8;

/** Body text of about `chars` characters in the plan's language for its charset. */
function bodyText(rng: Rng, prose: Prose, charset: Charset, chars: number, greeting: string): string {
  const paragraphs: string[] = [greeting];
  let used = greeting.length;
  while (used < chars) {
    const want = Math.min(chars - used, rng.int(200, 900));
    let para: string;
    if (charset === 'shift_jis' || charset === 'gb2312') {
      // CJK text has no spaces to wrap at: one sentence per line. A character is 2 bytes in
      // these charsets, and the body goes out in base64: ~2.8 bytes on the wire per character.
      const pool = charset === 'shift_jis' ? SHIFT_JIS_SENTENCES : GB2312_SENTENCES;
      const lines: string[] = [];
      let n = 0;
      while (n < want) {
        const s = rng.pick(pool);
        lines.push(s);
        n += s.length * CJK_WIRE_BYTES;
      }
      if (rng.chance(0.3)) lines.push(wrap(prose.take(rng, 120)));
      para = lines.join('\r\n');
    } else {
      let text = prose.take(rng, want);
      if (charset === 'iso-8859-1') text = `${rng.pick(LATIN1_SENTENCES)} ${text} ${rng.pick(LATIN1_SENTENCES)}`;
      if (charset === 'utf-8') text = `${text} ${rng.pick(UTF8_EXTRAS)} ${rng.pick(LATIN1_SENTENCES)}`;
      para = wrap(text);
    }
    paragraphs.push(para);
    used += (charset === 'shift_jis' || charset === 'gb2312' ? para.length * CJK_WIRE_BYTES : para.length) + 4;
  }
  return paragraphs.join('\r\n\r\n') + '\r\n';
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function htmlOf(text: string, charset: Charset): string {
  const paras = text.split('\r\n\r\n').map((p) => `<p>${htmlEscape(p.trim()).replace(/\r\n/g, '\r\n')}</p>`);
  return `<!DOCTYPE html>\r\n<html><head><meta charset="${charset}"><style>p{font-family:Arial,sans-serif;font-size:14px}</style></head>\r\n<body>\r\n${paras.join('\r\n')}\r\n</body></html>\r\n`;
}

/** A text leaf: headers + encoded body, in the plan's charset. */
function textLeaf(rng: Rng, subtype: 'plain' | 'html', charset: Charset, text: string): string {
  const bytes = encodeIn(charset, text);
  let cte: string;
  let body: string;
  if (charset === 'us-ascii' || /^[\x00-\x7f]*$/.test(text)) {
    cte = '7bit';
    body = text;
  } else if (charset === 'shift_jis' || charset === 'gb2312') {
    cte = 'base64';
    body = base64Lines(bytes);
  } else if (charset === 'utf-8' && rng.chance(0.4)) {
    cte = '8bit';
    body = bytes.toString('latin1'); // bytes as-is; the caller writes latin1 back to bytes
  } else {
    cte = 'quoted-printable';
    body = quotedPrintable(bytes);
  }
  const cs = charset === 'us-ascii' ? 'us-ascii' : charset.toUpperCase() === 'UTF-8' ? 'utf-8' : charset;
  const fmt = subtype === 'plain' && rng.chance(0.3) ? '; format=flowed' : '';
  return `Content-Type: text/${subtype}; charset="${cs}"${fmt}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body.endsWith('\r\n') ? body : body + '\r\n'}`;
}

const ATTACHMENTS = [
  ['application/pdf', 'pdf', '%PDF-1.7\n'],
  ['image/jpeg', 'jpg', '\xff\xd8\xff\xe0\x00\x10JFIF'],
  ['image/png', 'png', '\x89PNG\r\n\x1a\n'],
  ['application/zip', 'zip', 'PK\x03\x04'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx', 'PK\x03\x04'],
  ['text/csv', 'csv', ''],
] as const;

function attachment(rng: Rng, prose: Prose, bytes: number): string {
  const [type, ext, magic] = rng.pick(ATTACHMENTS);
  let data: Buffer;
  if (type === 'text/csv') {
    const rows: string[] = ['id,name,amount,comment'];
    let n = 0;
    for (let i = 1; n < bytes; i++) {
      const row = `${i},${prose.phrase(rng, 2).replace(/,/g, '')},${rng.int(1, 99999)}.${rng.int(10, 99)},${prose.phrase(rng, 5).replace(/,/g, '')}`;
      rows.push(row);
      n += row.length + 2;
    }
    data = Buffer.from(rows.join('\r\n'), 'latin1');
  } else {
    data = Buffer.concat([Buffer.from(magic, 'latin1'), rng.bytes(Math.max(0, bytes - magic.length))]);
  }
  const name = `${prose.phrase(rng, 2).replace(/[^A-Za-z0-9]+/g, '_') || 'file'}_${rng.int(1, 999)}.${ext}`;
  return (
    `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\n` +
    `Content-Transfer-Encoding: base64\r\n\r\n${base64Lines(data)}\r\n`
  );
}

function multipart(subtype: string, boundary: string, parts: string[]): { header: string; body: string } {
  const body = parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n') + `\r\n--${boundary}--\r\n`;
  return { header: `Content-Type: multipart/${subtype};\r\n boundary="${boundary}"\r\n`, body };
}

function topHeaders(rng: Rng, plan: MessagePlan): string {
  const date = rfc5322Date(plan.dateMs, plan.zoneMin);
  const relayDate = rfc5322Date(plan.dateMs + rng.int(1, 90) * 1000, 0);
  const to0 = plan.to[0]!.address;
  const [mailerField, mailerValue] = mailer(rng);
  const h: string[] = [
    `Return-Path: <${plan.from.address}>`,
    `Received: from mx${rng.int(1, 9)}.${plan.from.address.split('@')[1]} (mx.${plan.from.address.split('@')[1]} [192.0.2.${rng.int(1, 254)}])\r\n\tby mail.example.com (Postfix) with ESMTPS id ${hex(rng, 10).toUpperCase()}\r\n\tfor <${to0}>; ${relayDate}`,
    `Received: from [10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}] (unknown [198.51.100.${rng.int(1, 254)}])\r\n\tby smtp.${plan.from.address.split('@')[1]} with ESMTPSA id ${hex(rng, 12)}; ${date}`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${plan.from.address.split('@')[1]}; s=s${rng.int(1, 4)};\r\n\th=from:to:subject:date:message-id; bh=${rng.bytes(32).toString('base64')};\r\n\tb=${base64Lines(rng.bytes(128)).replace(/\r\n/g, '\r\n\t  ')}`,
    `Message-ID: <${plan.messageId}>`,
    `Date: ${date}`,
    `From: ${addressList([plan.from])}`,
    `To: ${addressList(plan.to)}`,
  ];
  if (plan.cc.length > 0) h.push(`Cc: ${addressList(plan.cc)}`);
  const subjectCharset = plan.charset === 'us-ascii' ? 'utf-8' : plan.charset;
  h.push(`Subject: ${encodedWords(plan.subject, subjectCharset.toUpperCase(), (s) => encodeIn(subjectCharset, s))}`);
  if (plan.inReplyTo) h.push(`In-Reply-To: <${plan.inReplyTo}>`);
  if (plan.references.length > 0) h.push(`References: ${plan.references.map((r) => `<${r}>`).join('\r\n ')}`);
  if (plan.listId) h.push(`List-Id: <${plan.listId}>`, `List-Unsubscribe: <mailto:leave-${plan.listId}>`, 'Precedence: list');
  h.push(`${mailerField}: ${mailerValue}`, 'MIME-Version: 1.0');
  return h.join('\r\n') + '\r\n';
}

/** Build the message bytes for a plan. */
export function buildMessage(rng: Rng, prose: Prose, plan: MessagePlan): Buffer {
  const headers = topHeaders(rng, plan);
  const greeting = `Hello ${plan.to[0]!.name.split(' ')[0]},`;
  const room = Math.max(200, plan.targetBytes - headers.length - 300);
  let mime: string;
  if (plan.shape === 'plain') {
    mime = textLeaf(rng, 'plain', plan.charset, bodyText(rng, prose, plan.charset, room, greeting));
  } else if (plan.shape === 'alternative') {
    const text = bodyText(rng, prose, plan.charset, Math.floor(room / 2.3), greeting);
    const alt = multipart('alternative', `alt-${hex(rng, 24)}`, [textLeaf(rng, 'plain', plan.charset, text), textLeaf(rng, 'html', plan.charset, htmlOf(text, plan.charset))]);
    mime = alt.header + '\r\n' + alt.body;
  } else {
    const textChars = Math.min(room, rng.int(300, 3000));
    const text = bodyText(rng, prose, plan.charset, textChars, greeting);
    let first: string;
    if (rng.chance(0.5)) {
      const alt = multipart('alternative', `alt-${hex(rng, 24)}`, [textLeaf(rng, 'plain', plan.charset, text), textLeaf(rng, 'html', plan.charset, htmlOf(text, plan.charset))]);
      first = alt.header + '\r\n' + alt.body;
    } else {
      first = textLeaf(rng, 'plain', plan.charset, text);
    }
    // Base64 grows data by 4/3 plus line ends: 78 bytes per 57 raw.
    const left = Math.max(200, room - first.length);
    const count = left > 200_000 && rng.chance(0.3) ? 2 : 1;
    const parts = [first];
    for (let i = 0; i < count; i++) parts.push(attachment(rng, prose, Math.floor((left / count) * (57 / 78))));
    const mixed = multipart('mixed', `mix-${hex(rng, 24)}`, parts);
    mime = mixed.header + '\r\n' + 'This is a multi-part message in MIME format.\r\n\r\n' + mixed.body;
  }
  // Everything above is a latin1 string of bytes (8bit UTF-8 bodies were kept as bytes).
  return Buffer.from(headers + mime, 'latin1');
}
