/** Decoding for search: encoded words, RFC 2231 values, transfer encodings, charsets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  charsetToString,
  decodeBase64,
  decodeEncodedWords,
  decodedParam,
  decodeQuotedPrintable,
  decodeRfc2231Value,
  partText,
} from '../../core/mail/decode.ts';
import { parseMime } from '../../core/mail/mime-parser.ts';
import { fixture } from './helpers.ts';

test('encoded words: B and Q, any charset, adjacent words joined', () => {
  assert.is(decodeEncodedWords('=?UTF-8?B?SsO2cmc=?= <j@x>'), 'Jörg <j@x>');
  assert.is(decodeEncodedWords('=?ISO-8859-1?Q?Andr=E9_Z?='), 'André Z');
  assert.is(decodeEncodedWords('=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?Q?K=F6ln?='), 'Grüße aus Köln');
  assert.is(decodeEncodedWords('=?utf-8?q?a?=  \t =?utf-8?q?b?='), 'ab');
  assert.is(decodeEncodedWords('=?koi8-r?B?8NLJ18XU?='), 'Привет');
  assert.is(decodeEncodedWords('=?windows-1252?Q?=80?='), '€');
  assert.is(decodeEncodedWords('=?UTF-8*en?Q?hi?='), 'hi');
  assert.is(decodeEncodedWords('x =?utf-8?q?a?= y =?utf-8?q?b?= z'), 'x a y b z');
});

test('encoded words: a character split across two words is kept whole', () => {
  assert.is(decodeEncodedWords('=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?='), 'café');
  assert.is(decodeEncodedWords('=?UTF-8?B?4pyT4g==?= =?UTF-8?B?nJM=?='), '✓✓');
  assert.is(decodeEncodedWords('=?UTF-8?Q?a?= =?ISO-8859-1?Q?=E9?='), 'aé');
});

test('encoded words: unknown charset and malformed words stay as written', () => {
  assert.is(decodeEncodedWords('=?x-unknown?Q?abc?= def'), '=?x-unknown?Q?abc?= def');
  assert.is(decodeEncodedWords('=?utf-8?X?abc?='), '=?utf-8?X?abc?=');
  assert.is(decodeEncodedWords('plain text'), 'plain text');
});

test('quoted-printable: escapes, soft breaks, malformed = kept', () => {
  assert.is(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc=\nd')).toString(), 'a=bcd');
  assert.is(decodeQuotedPrintable(Buffer.from('50=% =zz')).toString(), '50=% =zz');
  assert.is(decodeQuotedPrintable(Buffer.from('a_b'), true).toString(), 'a b');
  assert.is(decodeQuotedPrintable(Buffer.from('a=')).toString(), 'a');
});

test('base64 skips junk instead of failing', () => {
  assert.is(decodeBase64('aGVs\r\nbG8=').toString(), 'hello');
  assert.is(decodeBase64('SGVsbG8g!!!d29y\r\nbGQ=====').toString(), 'Hello world');
  assert.is(decodeBase64('').length, 0);
});

test('charsets: iconv labels, mislabeled UTF-8, unknown labels', () => {
  assert.is(charsetToString(Buffer.from([0xe9]), 'iso-8859-1'), 'é');
  assert.is(charsetToString(Buffer.from('é'), 'us-ascii'), 'é');
  assert.is(charsetToString(Buffer.from([0xe9]), 'us-ascii'), 'é');
  assert.is(charsetToString(Buffer.from('ü'), 'x-nonsense'), 'ü');
  assert.is(charsetToString(Buffer.from([0xfc]), null), 'ü');
});

test('RFC 2231 values and file names', () => {
  assert.is(decodeRfc2231Value("UTF-8''na%C3%AFve%20file.txt"), 'naïve file.txt');
  assert.is(decodeRfc2231Value("iso-8859-1'fr'caf%E9"), 'café');
  assert.is(decodeRfc2231Value('no quotes'), 'no quotes');
  const root = parseMime(fixture('rfc2231.eml'));
  assert.is(decodedParam(root.disposition!.params, 'filename'), 'naïve file.txt');
  assert.is(decodedParam(root.params, 'name'), 'long-file-name.txt');
  assert.is(decodedParam([['name', '=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=']], 'name'), 'résumé.pdf');
});

test('partText decodes transfer encoding and charset', () => {
  const raw = fixture('encoded-words.eml');
  assert.is(partText(raw, parseMime(raw)), 'Grüße aus Köln!\r\n');
  const alt = fixture('alternative.eml');
  assert.is(partText(alt, parseMime(alt).children[0]!), 'Café at noon?');
});

test.run();
