/** PREVIEW text: first text part, decoded, whitespace collapsed, bounded. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMime } from '../../core/mail/mime-parser.ts';
import { preview, PREVIEW_MAX_CHARS } from '../../core/mail/preview.ts';
import { fixture } from './helpers.ts';

const of = (raw: Buffer) => preview(raw, parseMime(raw));

test('first text/plain part, decoded', () => {
  assert.is(of(fixture('alternative.eml')), 'Café at noon?');
  assert.is(of(fixture('encoded-words.eml')), 'Grüße aus Köln!');
  assert.is(of(fixture('no-content-type.eml')), 'Just text. Two lines.');
});

test('html only: tags and entities removed', () => {
  const raw = Buffer.from(
    'Content-Type: text/html\r\n\r\n<html><style>p{}</style><p>Hello&nbsp;<b>world</b> &amp; &#233;&#x2713;</p></html>',
  );
  assert.is(of(raw), 'Hello world & é✓');
});

test('attachments and attached messages are skipped', () => {
  assert.is(of(fixture('rfc822.eml')), 'See below.');
  assert.is(of(fixture('rfc2231.eml')), '');
  const raw = Buffer.from(
    'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nnot me\r\n--b\r\nContent-Type: text/plain\r\n\r\nme\r\n--b--\r\n',
  );
  assert.is(of(raw), 'me');
});

test('at most PREVIEW_MAX_CHARS characters (not bytes)', () => {
  const raw = Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\n' + 'é'.repeat(500));
  assert.is(of(raw), 'é'.repeat(PREVIEW_MAX_CHARS));
});

test('a cut at the limit does not end on the collapsed space', () => {
  // 199 letters, then whitespace: the 200th character would be the collapsed space.
  const raw = Buffer.from('Content-Type: text/plain\r\n\r\n' + 'a'.repeat(PREVIEW_MAX_CHARS - 1) + ' \r\n\t b');
  assert.is(of(raw), 'a'.repeat(PREVIEW_MAX_CHARS - 1));
});

test.run();
