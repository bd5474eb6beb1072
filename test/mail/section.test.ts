/** BODY[section] contents; expectations checked against Dovecot 2.3 (`doveadm fetch body.N`). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMime } from '../../core/mail/mime-parser.ts';
import { binarySection, fetchSection, fetchTopSection, resolvePart } from '../../core/mail/section.ts';
import type { SectionSpec } from '../../core/mail/types.ts';
import { fixture } from './helpers.ts';

function section(name: string, part: number[], kind: SectionSpec['kind'] = '', fields?: string[]): string {
  const raw = fixture(name);
  return fetchSection(raw, parseMime(raw), { part, kind, fields }).toString('latin1');
}

const innerHeader =
  'From: Original <orig@example.com>\r\nTo: fwd@example.org\r\nSubject: hello\r\n' +
  'Date: Wed, 02 Mar 2022 11:00:00 +0000\r\nMessage-ID: <orig-1@example.com>\r\nMIME-Version: 1.0\r\n' +
  'Content-Type: multipart/mixed; boundary="b2"\r\n\r\n';
const innerText =
  '--b2\r\nContent-Type: text/plain\r\n\r\noriginal text\r\n--b2\r\nContent-Type: image/png\r\n' +
  'Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b2--';

test('BODY[] is the whole message', () => {
  const raw = fixture('rfc822.eml');
  assert.equal(fetchSection(raw, parseMime(raw), { part: [], kind: '' }), raw);
});

test('HEADER ends with the blank line; TEXT is the rest', () => {
  const raw = fixture('simple.eml');
  const header = section('simple.eml', [], 'HEADER');
  assert.ok(header.startsWith('Date: Mon, 7 Feb 1994'));
  assert.ok(header.endsWith('CHARSET=US-ASCII\r\n\r\n'));
  assert.is(section('simple.eml', [], 'TEXT'), 'Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n');
  assert.is(header.length + section('simple.eml', [], 'TEXT').length, raw.length);
});

test('HEADER.FIELDS: case-insensitive names, header order, folding kept, blank line at the end', () => {
  assert.is(section('simple.eml', [], 'HEADER.FIELDS', ['SUBJECT', 'from']), 'From: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\n\r\n');
  assert.is(
    section('rfc2231.eml', [], 'HEADER.FIELDS', ['Content-Type']),
    'Content-Type: application/octet-stream;\r\n name*0="long-file";\r\n name*1="-name.txt"\r\n\r\n',
  );
  assert.is(section('simple.eml', [], 'HEADER.FIELDS', ['X-None']), '\r\n');
});

test('HEADER.FIELDS.NOT keeps every other field', () => {
  assert.is(
    section('no-content-type.eml', [], 'HEADER.FIELDS.NOT', ['from']),
    'Subject: plain\r\n\r\n',
  );
});

test('numbered parts: body of the part; MIME is its header', () => {
  assert.is(section('rfc822.eml', [1]), 'See below.');
  assert.is(section('rfc822.eml', [1], 'MIME'), 'Content-Type: text/plain; charset=us-ascii\r\n\r\n');
  assert.is(section('rfc822.eml', [2], 'MIME'), 'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n');
  assert.is(section('rfc822.eml', [2]), innerHeader + innerText);
});

test('inside message/rfc822: N.HEADER, N.TEXT and N.M refer to the encapsulated message', () => {
  assert.is(section('rfc822.eml', [2], 'HEADER'), innerHeader);
  assert.is(section('rfc822.eml', [2], 'TEXT'), innerText);
  assert.is(section('rfc822.eml', [2], 'HEADER.FIELDS', ['subject']), 'Subject: hello\r\n\r\n');
  assert.is(section('rfc822.eml', [2, 1]), 'original text');
  assert.is(section('rfc822.eml', [2, 2]), 'iVBORw0KGgo=');
  assert.is(section('rfc822.eml', [2, 2], 'MIME'), 'Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n');
});

test('nested multipart parts at any depth', () => {
  assert.is(section('mixed-nested.eml', [1, 1]), 'See attachment.');
  assert.is(section('mixed-nested.eml', [1, 2]), '<b>See attachment.</b>');
  assert.is(section('mixed-nested.eml', [1, 2], 'MIME'), 'Content-Type: text/html; charset="us-ascii"\r\n\r\n');
  assert.is(section('mixed-nested.eml', [2]), 'JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K');
});

test('part 1 of a non-multipart message is its body; 1.MIME its header', () => {
  assert.is(section('rfc2231.eml', [1]), 'aGVsbG8=\r\n');
  assert.ok(section('rfc2231.eml', [1], 'MIME').startsWith('From: sender@example.org\r\n'));
  assert.is(section('rfc2231.eml', [1, 1]), '');
});

test('a leaf inside a multipart answers .1 with itself (Dovecot)', () => {
  assert.is(section('rfc822.eml', [1, 1]), 'See below.');
});

test('parts that do not exist are empty', () => {
  assert.is(section('rfc822.eml', [3]), '');
  assert.is(section('rfc822.eml', [2, 3]), '');
  assert.is(section('rfc822.eml', [0]), '');
  assert.is(section('rfc822.eml', [1], 'HEADER'), '');
  assert.is(section('rfc822.eml', [1], 'TEXT'), '');
  assert.is(section('rfc2231.eml', [2]), '');
  assert.is(section('rfc2231.eml', [1], 'HEADER'), '');
  assert.is(section('rfc822.eml', [], 'MIME'), '');
  assert.is(resolvePart(parseMime(fixture('rfc822.eml')), [9, 9, 9]), null);
});

test('BINARY: transfer encoding undone for leaf parts', () => {
  const b = (name: string, part: number[]) => {
    const raw = fixture(name);
    return binarySection(raw, parseMime(raw), part);
  };
  assert.is(b('alternative.eml', [1])!.toString('utf8'), 'Café at noon?');
  assert.is(b('rfc2231.eml', [1])!.toString(), 'hello');
  assert.equal(b('rfc822.eml', [2, 2]), Buffer.from('iVBORw0KGgo=', 'base64'));
  assert.is(b('rfc822.eml', [1])!.toString(), 'See below.');
  assert.is(b('rfc822.eml', [7])!.length, 0);
  const odd = Buffer.from('MIME-Version: 1.0\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n');
  assert.is(binarySection(odd, parseMime(odd), [1]), null);
});

test('fetchTopSection answers top-level sections like fetchSection, without the tree', () => {
  const specs: SectionSpec[] = [
    { part: [], kind: '' },
    { part: [], kind: 'HEADER' },
    { part: [], kind: 'TEXT' },
    { part: [], kind: 'HEADER.FIELDS', fields: ['Subject', 'to'] },
    { part: [], kind: 'HEADER.FIELDS.NOT', fields: ['Subject'] },
  ];
  for (const name of ['rfc822.eml', 'simple.eml', 'groups.eml', 'rfc2231.eml']) {
    const raw = fixture(name);
    for (const spec of specs) assert.equal(fetchTopSection(raw, spec), fetchSection(raw, parseMime(raw), spec), name);
  }
  assert.is(fetchTopSection(fixture('simple.eml'), { part: [1], kind: '' }), null);
  assert.is(fetchTopSection(fixture('simple.eml'), { part: [], kind: 'MIME' }), null);
});

test.run();
