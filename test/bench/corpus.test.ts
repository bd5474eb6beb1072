import { test } from 'uvu';
import * as assert from 'uvu/assert';
import iconv from 'iconv-lite';
import { generateCorpus, pickSize } from '../../bench/corpus/generate.ts';
import { Rng } from '../../bench/corpus/rng.ts';
import { Prose, SHIFT_JIS_SENTENCES } from '../../bench/corpus/prose.ts';
import { parseMime, isMultipart, type MimePart } from '../../core/mail/mime-parser.ts';

const opts = { seed: 42, count: 150, maxBytes: 300_000 };
const corpus = [...generateCorpus(opts)];
const text = (m: Buffer) => m.toString('latin1');

test('same seed gives the same bytes; another seed does not', () => {
  const again = [...generateCorpus(opts)];
  assert.is(again.length, corpus.length);
  for (let i = 0; i < corpus.length; i++) assert.ok(again[i]!.equals(corpus[i]!), `message ${i} differs`);
  const other = [...generateCorpus({ ...opts, seed: 43, count: 5 })];
  assert.not.ok(other[0]!.equals(corpus[0]!));
});

test('the same prefix whatever the count', () => {
  const short = [...generateCorpus({ ...opts, count: 10 })];
  for (let i = 0; i < 10; i++) assert.ok(short[i]!.equals(corpus[i]!));
});

test('CRLF only, lines under 998 octets', () => {
  for (const [i, m] of corpus.entries()) {
    for (let p = m.indexOf(10); p >= 0; p = m.indexOf(10, p + 1)) assert.is(m[p - 1], 13, `bare LF in message ${i} at ${p}`);
    for (let p = m.indexOf(13); p >= 0; p = m.indexOf(13, p + 1)) assert.is(m[p + 1], 10, `bare CR in message ${i} at ${p}`);
    let start = 0;
    for (let p = m.indexOf('\r\n'); p >= 0; p = m.indexOf('\r\n', start)) {
      assert.ok(p - start <= 998, `long line in message ${i}`);
      start = p + 2;
    }
    assert.ok(text(m).endsWith('\r\n'));
  }
});

function leaves(p: MimePart, out: MimePart[] = []): MimePart[] {
  if (isMultipart(p)) for (const c of p.children ?? []) leaves(c, out);
  else out.push(p);
  return out;
}

test('every message parses with parseMime, with the headers a client needs', () => {
  for (const [i, m] of corpus.entries()) {
    const root = parseMime(m);
    assert.ok(leaves(root).length >= 1, `message ${i}`);
    const head = text(m).slice(0, text(m).indexOf('\r\n\r\n'));
    for (const h of ['Message-ID: <', 'Date: ', 'From: ', 'To: ', 'Subject: ', 'MIME-Version: 1.0', 'Content-Type: ']) {
      assert.ok(head.includes(h), `message ${i} lacks ${h}`);
    }
  }
});

test('the mix: charsets, alternative, attachments, threads', () => {
  const all = corpus.map(text);
  for (const cs of ['us-ascii', 'utf-8', 'iso-8859-1', 'shift_jis', 'gb2312']) {
    assert.ok(all.some((m) => m.includes(`charset="${cs}"`)), `no ${cs}`);
  }
  assert.ok(all.some((m) => m.includes('multipart/alternative') && m.includes('text/html')));
  assert.ok(all.some((m) => m.includes('Content-Disposition: attachment')));
  assert.ok(all.filter((m) => /^References: </m.test(m) && /^In-Reply-To: </m.test(m)).length > 10);
  assert.ok(all.some((m) => m.includes('=?UTF-8?B?')));
});

test('a Shift_JIS body decodes back to Japanese', () => {
  const m = corpus.map(text).find((s) => s.includes('charset="shift_jis"') && s.includes('Content-Transfer-Encoding: base64\r\n\r\n'))!;
  assert.ok(m);
  const at = m.indexOf('charset="shift_jis"');
  const bodyStart = m.indexOf('\r\n\r\n', at) + 4;
  const b64 = m.slice(bodyStart, m.indexOf('\r\n\r\n', bodyStart) > 0 ? m.indexOf('\r\n\r\n', bodyStart) : undefined).split('\r\n--')[0]!;
  const decoded = iconv.decode(Buffer.from(b64.replace(/\r\n/g, ''), 'base64'), 'shift_jis');
  assert.ok(SHIFT_JIS_SENTENCES.some((s) => decoded.includes(s)), decoded.slice(0, 80));
});

test('sizes: within bounds, most mail small, a long tail', () => {
  const rng = new Rng(7);
  const sizes = Array.from({ length: 20_000 }, () => pickSize(rng, 1024, 10 * 1024 * 1024)).sort((a, b) => a - b);
  assert.ok(sizes[0]! >= 1024);
  assert.ok(sizes[sizes.length - 1]! <= 10 * 1024 * 1024);
  const median = sizes[10_000]!;
  assert.ok(median > 4_000 && median < 20_000, `median ${median}`);
  assert.ok(sizes.filter((s) => s > 2 * 1024 * 1024).length > 100, 'no multi-MB tail');
});

test('fixed size lands near the wanted size', () => {
  for (const m of generateCorpus({ seed: 5, count: 20, fixedBytes: 10_240 })) {
    assert.ok(m.length > 7_000 && m.length < 14_000, `size ${m.length}`);
  }
});

test('given prose is used', () => {
  const prose = new Prose('alpha beta gamma delta '.repeat(2000));
  const [m] = [...generateCorpus({ seed: 1, count: 1, prose, fixedBytes: 3000 })];
  assert.ok(text(m!).includes('gamma delta'));
});

test.run();
