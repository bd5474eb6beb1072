/**
 * normalizeCrlf (run on every APPEND and delivery) against a byte-at-a-time reference: bare LF
 * and lone CR become CRLF, CRLF stays, and clean input comes back as the same buffer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCrlfClean, normalizeCrlf } from '../../core/storage/message-object.ts';

function reference(raw: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x0d) {
      out.push(0x0d, 0x0a);
      if (raw[i + 1] === 0x0a) i++;
    } else if (c === 0x0a) out.push(0x0d, 0x0a);
    else out.push(c);
  }
  return Buffer.from(out);
}

/** Seeded so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('known cases', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['abc', 'abc'],
    ['a\r\nb\r\n', 'a\r\nb\r\n'],
    ['a\nb\n', 'a\r\nb\r\n'],
    ['\n', '\r\n'],
    ['\r', '\r\n'],
    ['a\rb', 'a\r\nb'],
    ['a\r\r\nb', 'a\r\n\r\nb'],
    ['a\n\rb', 'a\r\n\r\nb'],
    ['x\r\n\ny\r', 'x\r\n\r\ny\r\n'],
  ];
  for (const [input, want] of cases) {
    assert.is(normalizeCrlf(Buffer.from(input, 'latin1')).toString('latin1'), want, JSON.stringify(input));
  }
});

test('clean input is returned as the same buffer', () => {
  const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
  assert.ok(isCrlfClean(raw));
  assert.is(normalizeCrlf(raw), raw);
  assert.not.ok(isCrlfClean(Buffer.from('a\nb')));
  assert.not.ok(isCrlfClean(Buffer.from('a\rb')));
});

test('random inputs match the reference', () => {
  const next = rng(42);
  const alphabet = [0x0d, 0x0a, 0x41, 0x20];
  for (let n = 0; n < 2000; n++) {
    const len = Math.floor(next() * 40);
    const raw = Buffer.alloc(len);
    for (let i = 0; i < len; i++) raw[i] = alphabet[Math.floor(next() * alphabet.length)]!;
    const want = reference(raw);
    assert.equal(normalizeCrlf(raw), want, JSON.stringify(raw.toString('latin1')));
    assert.is(isCrlfClean(raw), want.equals(raw), JSON.stringify(raw.toString('latin1')));
  }
});

test.run();
