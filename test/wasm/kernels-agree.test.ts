/** Each WASM kernel gives exactly the result of its TypeScript reference, on random input. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldAsciiBytes, indexOfAsciiFolded, indexOfAsciiFoldedString, scanHeader } from '../../core/text/kernels.ts';
import { foldAsciiBytesRef, indexOfAsciiFoldedRef } from '../../core/text/ascii-fold.ts';
import { scanHeaderRef } from '../../core/text/header-scan.ts';
import { SEED, int, randomAscii, randomBytes, randomFrom, randomText, rng, shuffleCase } from './random.ts';

const enc = new TextEncoder();
const r = rng(SEED);
const where = `(TEST_SEED=${SEED})`;
const LETTERS = [0x40, 0x41, 0x5a, 0x5b, 0x60, 0x61, 0x7a, 0x7b, 0xc1, 0xe1, 0x00, 0xff];

function sameFold(input: Uint8Array, label: string): void {
  const expected = foldAsciiBytesRef(Uint8Array.from(input));
  const got = foldAsciiBytes(Uint8Array.from(input));
  assert.equal(Array.from(got), Array.from(expected), `${label} len ${input.length} ${where}`);
}

test('foldAscii: edge lengths 0..70, every byte value near the letter ranges', () => {
  for (let len = 0; len <= 70; len++) {
    sameFold(randomBytes(r, len), 'random bytes');
    sameFold(randomFrom(r, len, LETTERS), 'letter edges');
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  sameFold(all, 'all bytes');
});

test('foldAscii: random bytes and random UTF-8, long inputs', () => {
  for (let i = 0; i < 200; i++) {
    sameFold(randomBytes(r, int(r, 5000)), 'random bytes');
    sameFold(enc.encode(randomText(r, int(r, 2000))), 'random utf-8');
  }
});

function sameIndex(hay: Uint8Array, needle: Uint8Array, label: string): void {
  const expected = indexOfAsciiFoldedRef(hay, needle);
  const got = indexOfAsciiFolded(hay, needle);
  assert.is(got, expected, `${label}: hay ${hay.length}, needle ${needle.length} ${where}`);
}

test('indexOfFolded: edge lengths 0..70 for haystack and needle', () => {
  const alphabet = [0x61, 0x41, 0x62, 0x42, 0x5b, 0x7b];
  for (let h = 0; h <= 70; h++) {
    for (let n = 0; n <= Math.min(h + 2, 40); n++) {
      const hay = randomFrom(r, h, alphabet);
      sameIndex(hay, randomFrom(r, n, alphabet), 'random needle');
      if (n <= h) {
        const at = int(r, h - n + 1);
        sameIndex(hay, shuffleCase(r, hay.subarray(at, at + n)), 'needle cut from hay');
      }
    }
  }
});

test('indexOfFolded: random bytes, random UTF-8, needles that occur and almost occur', () => {
  for (let i = 0; i < 300; i++) {
    const hay = r() < 0.5 ? randomBytes(r, int(r, 3000)) : enc.encode(randomText(r, int(r, 1500)));
    const n = 1 + int(r, 60);
    const at = int(r, Math.max(1, hay.length - n));
    const cut = shuffleCase(r, hay.subarray(at, at + n));
    sameIndex(hay, cut, 'occurs');
    if (cut.length > 0) {
      const near = Uint8Array.from(cut);
      near[int(r, near.length)] ^= 1;
      sameIndex(hay, near, 'almost occurs');
    }
    sameIndex(hay, randomBytes(r, int(r, 4)), 'short random');
  }
});

test('indexOfAsciiFoldedString agrees with the reference on ASCII strings', () => {
  for (let i = 0; i < 300; i++) {
    const hay = randomAscii(r, int(r, 400));
    const n = int(r, 30);
    const at = int(r, Math.max(1, hay.length - n));
    const needle = r() < 0.7 ? hay.slice(at, at + n).toUpperCase() : randomAscii(r, n);
    const expected = indexOfAsciiFoldedRef(enc.encode(hay), enc.encode(needle));
    assert.is(indexOfAsciiFoldedString(hay, needle), expected, `"${needle}" ${where}`);
  }
});

function sameScan(input: Uint8Array, label: string): void {
  const expected = scanHeaderRef(input);
  const got = scanHeader(input);
  assert.equal(
    { ...got, fieldStarts: Array.from(got.fieldStarts) },
    { ...expected, fieldStarts: Array.from(expected.fieldStarts) },
    `${label} len ${input.length} ${where}`,
  );
}

test('headerScan: edge lengths 0..70 over header-ish bytes', () => {
  const alphabet = [0x0a, 0x0d, 0x20, 0x09, 0x61, 0x3a, 0x41];
  for (let len = 0; len <= 70; len++) {
    for (let i = 0; i < 20; i++) sameScan(randomFrom(r, len, alphabet), 'header-ish');
    sameScan(randomBytes(r, len), 'random bytes');
  }
});

test('headerScan: random messages with CRLF, LF and mixed line ends', () => {
  for (let i = 0; i < 200; i++) {
    const eol = ['\r\n', '\n'][int(r, 2)]!;
    let head = '';
    for (let f = int(r, 40); f > 0; f--) {
      head += `X-F${f}: ${randomText(r, int(r, 90))}${eol}`;
      if (r() < 0.3) head += `${r() < 0.5 ? ' ' : '\t'}${randomText(r, int(r, 50))}${eol}`;
    }
    const sep = r() < 0.8 ? eol : ['\n', '\r\n', ''][int(r, 3)]!;
    const msg = head.replace(/[\r\n]+(?=.)/gu, (m) => (r() < 0.05 ? '\n' : m)) + sep + randomText(r, int(r, 300));
    sameScan(enc.encode(msg), 'message');
    sameScan(randomBytes(r, int(r, 2000)), 'random bytes');
  }
});

test('headerScan: more fields than one output chunk (kernel resumes)', () => {
  const many = enc.encode('A: 1\n'.repeat(3000) + ' cont\nB: 2\r\n\r\nbody');
  sameScan(many, 'many fields');
  assert.is(scanHeader(many).fieldStarts.length, 3001);
});

test.run();
