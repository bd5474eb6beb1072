/** MIME tree: offsets, boundaries, defaults, parameters, header helpers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldRawValue, fieldValue, findFields } from '../../core/mail/headers.ts';
import { MAX_MIME_DEPTH, parseMime, partBody, partHeader, type MimePart } from '../../core/mail/mime-parser.ts';
import { fixture } from './helpers.ts';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');
const text = (raw: Buffer, p: MimePart) => partBody(raw, p).toString('latin1');

test('simple message: header and body offsets, size, lines', () => {
  const raw = fixture('no-content-type.eml');
  const root = parseMime(raw);
  assert.is(root.headerStart, 0);
  assert.is(partHeader(raw, root).toString(), 'From: a@example.org\r\nSubject: plain\r\n\r\n');
  assert.is(root.headerEnd, root.bodyStart - 2);
  assert.is(text(raw, root), 'Just text.\r\nTwo lines.\r\n');
  assert.is(root.bodySize, 24);
  assert.is(root.bodyLines, 2);
  assert.is(root.type, 'text');
  assert.is(root.subtype, 'plain');
  assert.not.ok(root.explicitType);
  assert.equal(root.params, []);
});

test('multipart: preamble and epilogue excluded, CRLF before a boundary belongs to it', () => {
  const raw = fixture('alternative.eml');
  const root = parseMime(raw);
  assert.is(root.children.length, 2);
  const [plain, html] = root.children as [MimePart, MimePart];
  assert.is(text(raw, plain), 'Caf=C3=A9 at noon?');
  assert.is(plain.encoding, 'quoted-printable');
  assert.is(text(raw, html), '<p>Caf&eacute; at noon?</p>');
  assert.is(partHeader(raw, html).toString(), 'Content-Type: text/html; charset=utf-8\r\n\r\n');
});

test('missing final boundary: the last part runs to the end', () => {
  const raw = fixture('missing-boundary.eml');
  const root = parseMime(raw);
  assert.is(root.children.length, 2);
  assert.is(text(raw, root.children[1]!), 'second part, never closed\r\n');
});

test('boundary lines are prefix matches at a line start, as in Dovecot', () => {
  const raw = crlf(
    'Content-Type: multipart/mixed; boundary=b\n\n--b  \nContent-Type: text/plain\n\nx --b\n--bb\n--b-x\n--b--\n',
  );
  const root = parseMime(raw);
  assert.equal(root.children.map((c) => text(raw, c)), ['x --b', '', '']);
});

test('the innermost multipart wins when boundaries collide (Dovecot)', () => {
  const raw = crlf(
    'Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\ninner\n--x--\n\n--x--\n',
  );
  const root = parseMime(raw);
  assert.is(root.children.length, 1);
  assert.equal(root.children[0]!.children.map((c) => text(raw, c)), ['inner']);
  const prefix = crlf(
    'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=bb\n\n--bb\n\ninner\n--b\n\nsecond\n--b--\n',
  );
  const p = parseMime(prefix);
  assert.is(p.children.length, 2);
  assert.equal(p.children[0]!.children.map((c) => text(prefix, c)), ['inner']);
  assert.is(text(prefix, p.children[1]!), 'second');
});

test('nested multipart and message/rfc822 parts', () => {
  const raw = fixture('rfc822.eml');
  const root = parseMime(raw);
  const msg = root.children[1]!;
  assert.is(msg.type, 'message');
  assert.ok(msg.message);
  assert.is(msg.message!.headerStart, msg.bodyStart);
  assert.is(msg.message!.bodyEnd, msg.bodyEnd);
  assert.is(fieldValue(msg.message!.headers, 'subject'), 'hello');
  assert.is(msg.message!.children.length, 2);
  assert.is(text(raw, msg.message!.children[0]!), 'original text');
});

test('multipart/digest children default to message/rfc822', () => {
  const raw = crlf(
    'Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody one\n--d\nContent-Type: text/plain\n\ntwo\n--d--\n',
  );
  const root = parseMime(raw);
  assert.is(root.children[0]!.type, 'message');
  assert.is(fieldValue(root.children[0]!.message!.headers, 'subject'), 'one');
  assert.is(root.children[1]!.type, 'text');
});

test('base64 message/rfc822 is not parsed as a message', () => {
  const raw = crlf('Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQpo\n');
  assert.is(parseMime(raw).message, null);
});

test('RFC 2231: continuations joined; extended values kept encoded under name*', () => {
  const raw = fixture('rfc2231.eml');
  const root = parseMime(raw);
  assert.equal(root.params, [['name', 'long-file-name.txt']]);
  assert.equal(root.disposition, { type: 'attachment', params: [['filename*', "UTF-8''na%C3%AFve%20file.txt"]] });
  const mixed = parseMime(crlf(`Content-Type: text/plain; title*0*=us-ascii'en'This%20is; title*1=" fun"; charset=utf-8\n\nx`));
  assert.equal(mixed.params, [
    ['title*', "us-ascii'en'This%20is%20fun"],
    ['charset', 'utf-8'],
  ]);
});

test('Content-Type comments, quoting and case', () => {
  const raw = crlf('Content-Type: (c) Text/HTML (x) ; Charset = "UTF-8" (y); format=flowed\n\n<b>');
  const root = parseMime(raw);
  assert.is(root.type, 'text');
  assert.is(root.subtype, 'html');
  assert.is(root.typeRaw, 'Text');
  assert.is(root.subtypeRaw, 'HTML');
  assert.equal(root.params, [
    ['Charset', 'UTF-8'],
    ['format', 'flowed'],
  ]);
});

test('Content-Language, Content-ID, Description, Location, MD5 fields', () => {
  const raw = fixture('mixed-nested.eml');
  const pdf = parseMime(raw).children[1]!;
  assert.equal(pdf.language, ['en', 'de']);
  assert.is(pdf.contentId!.value, '<pdf1@example.org>');
  assert.is(pdf.description!.value, 'The report');
  assert.is(pdf.location!.value, 'http://example.org/report.pdf');
  assert.is(pdf.md5!.value, 'Q2hlY2sgSW50ZWdyaXR5IQ==');
  assert.is(pdf.encodingRaw, 'base64');
});

test('header helpers: unfolding, repeated fields, case-insensitive names', () => {
  const raw = crlf('X-A: one\n two\nx-a:three\nSubject:\n\tfolded\n\nbody');
  const root = parseMime(raw);
  assert.equal(findFields(root.headers, 'X-a').map((f) => f.value), ['one two', 'three']);
  assert.is(fieldValue(root.headers, 'subject'), 'folded');
  assert.is(fieldValue(root.headers, 'missing'), null);
  assert.is(fieldRawValue(raw, findFields(root.headers, 'x-a')[0]!).toString(), ' one\r\n two');
});

test('bare LF line ends are accepted', () => {
  const raw = Buffer.from('Content-Type: multipart/mixed; boundary=q\n\n--q\n\none\n--q\n\ntwo\n--q--\n');
  const root = parseMime(raw);
  assert.equal(root.children.map((c) => text(raw, c)), ['one', 'two']);
});

test('header without blank line: empty body', () => {
  const raw = Buffer.from('Subject: x\r\nFrom: y');
  const root = parseMime(raw);
  assert.is(root.bodySize, 0);
  assert.is(fieldValue(root.headers, 'from'), 'y');
});

test('a message without MIME-Version and Content-Type ignores its Content-* fields (Dovecot)', () => {
  const plain = parseMime(crlf('From: a@b\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\nx\n'));
  assert.is(plain.disposition, null);
  assert.is(plain.encoding, null);
  const versioned = parseMime(crlf('MIME-Version: 1.0\nContent-Disposition: attachment\n\nx\n'));
  assert.is(versioned.disposition?.type, 'attachment');
  const typed = parseMime(crlf('Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nx\n'));
  assert.is(typed.encoding, 'base64');
  // Body parts are MIME by definition.
  const part = parseMime(crlf('Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-ID: <i@d>\n\nx\n--x--\n'));
  assert.is(part.children[0]!.contentId?.value, '<i@d>');
});

test('the tree is plain data: JSON round trip keeps it', () => {
  const root = parseMime(fixture('rfc822.eml'));
  assert.equal(JSON.parse(JSON.stringify(root)), root);
});

test('deep nesting stops at MAX_MIME_DEPTH without blowing the stack', () => {
  let s = '';
  for (let i = 0; i < 200; i++) s += `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n`;
  const root = parseMime(Buffer.from(s + '\nleaf\n'));
  let depth = 0;
  let p: MimePart | undefined = root;
  while (p && p.children.length > 0) (p = p.children[0]), depth++;
  assert.is(depth, MAX_MIME_DEPTH);
});

test.run();
