/**
 * Never throws, whatever the bytes: random input, every truncation of the corpus, and
 * MIME-flavoured noise. Checks the tree's offset invariants on each parse.
 */
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyStructure } from '../../core/mail/bodystructure.ts';
import { decodeEncodedWords, partText } from '../../core/mail/decode.ts';
import { envelope } from '../../core/mail/envelope.ts';
import { parseMime, type MimePart } from '../../core/mail/mime-parser.ts';
import { fetchSection } from '../../core/mail/section.ts';
import type { SectionSpec } from '../../core/mail/types.ts';
import { fixture, imapText, randomBytes } from './helpers.ts';

function checkTree(raw: Buffer, part: MimePart, lo: number, hi: number): void {
  assert.ok(lo <= part.headerStart, 'header start inside parent');
  assert.ok(part.headerStart <= part.headerEnd && part.headerEnd <= part.bodyStart, 'header order');
  assert.ok(part.bodyStart <= part.bodyEnd && part.bodyEnd <= hi, 'body inside parent');
  assert.is(part.bodySize, part.bodyEnd - part.bodyStart);
  let prev = part.bodyStart;
  for (const c of part.children) {
    assert.ok(c.headerStart >= prev, 'children in order');
    checkTree(raw, c, part.bodyStart, part.bodyEnd);
    prev = c.bodyEnd;
  }
  if (part.message) checkTree(raw, part.message, part.bodyStart, part.bodyEnd);
}

const SPECS: SectionSpec[] = [
  { part: [], kind: '' },
  { part: [], kind: 'HEADER' },
  { part: [], kind: 'TEXT' },
  { part: [], kind: 'HEADER.FIELDS', fields: ['subject', 'from'] },
  { part: [1], kind: 'MIME' },
  { part: [1, 2], kind: '' },
  { part: [2, 1, 1], kind: 'HEADER' },
  { part: [2], kind: 'TEXT' },
];

function exercise(raw: Buffer): void {
  const root = parseMime(raw);
  checkTree(raw, root, 0, raw.length);
  imapText(envelope(root));
  imapText(bodyStructure(root, true));
  imapText(bodyStructure(root, false));
  for (const spec of SPECS) fetchSection(raw, root, spec);
  const walk = (p: MimePart): void => {
    partText(raw, p);
    p.children.forEach(walk);
    if (p.message) walk(p.message);
  };
  walk(root);
}

test('random bytes', () => {
  for (let seed = 1; seed <= 300; seed++) exercise(randomBytes(seed, 1 + ((seed * 7919) % 3000)));
});

test('every truncation of every fixture', () => {
  const names = readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.endsWith('.eml'));
  for (const name of names) {
    const raw = fixture(name);
    for (let len = 0; len <= raw.length; len++) exercise(raw.subarray(0, len));
  }
});

test('MIME-flavoured noise: random lines of headers, boundaries and encoded words', () => {
  const pieces = [
    'Content-Type: multipart/mixed; boundary=a\r\n',
    'Content-Type: multipart/digest; boundary="b"\r\n',
    'Content-Type: message/rfc822\r\n',
    'Content-Type: text/plain; charset*0*=utf-8\'\'%C3; charset*1=x\r\n',
    'Content-Transfer-Encoding: base64\r\n',
    'Content-Transfer-Encoding: quoted-printable\r\n',
    'Content-Disposition: attachment; filename*=bogus\r\n',
    'To: a:b@c;,<@d:e@f>, "g\r\n',
    'Subject: =?utf-8?B?4pyT?= =?x?Q?=ZZ?=\r\n',
    ' folded\r\n',
    '\r\n',
    '--a\r\n',
    '--a--\r\n',
    '--b\r\n',
    '=3D=\r\n',
    'body text\r\n',
    '(((((\r\n',
  ];
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = randomBytes(seed, 60);
    const raw = Buffer.from(Array.from(rnd, (b) => pieces[b % pieces.length]).join(''), 'latin1');
    exercise(raw);
  }
});

test('random header values through the decoders', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const s = randomBytes(seed, 200).toString('latin1');
    decodeEncodedWords('=?utf-8?q?' + s + '?= =?iso-8859-1?b?' + s + '?=');
  }
});

test.run();
