/** foldCase known answers; containsFolded (kernel path on large ASCII) agrees with the TS path. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ASCII_KERNEL_MIN_CHARS, containsFolded, foldCase } from '../../core/text/fold.ts';
import { SEED, int, randomAscii, randomText, rng } from './random.ts';

const r = rng(SEED);
const where = `(TEST_SEED=${SEED})`;
const reference = (h: string, n: string): boolean => foldCase(h).includes(foldCase(n));

test('foldCase: known answers', () => {
  assert.is(foldCase('Hello WORLD'), 'hello world');
  assert.is(foldCase('ΣΊΣΥΦΟΣ'), 'σίσυφοσ', 'final sigma folds to sigma');
  assert.is(foldCase('ＡＢＣ'), 'abc', 'fullwidth letters (NFKC)');
  assert.is(foldCase('ﬁle'), 'file', 'ligature (NFKC)');
  assert.is(foldCase('\u212a'), 'k', 'Kelvin sign');
  assert.is(foldCase('Straße'), 'straße');
  assert.is(foldCase('e\u0301'), 'é', 'composed');
  assert.is(foldCase(''), '');
});

test('containsFolded: known answers', () => {
  assert.ok(containsFolded('Re: Hello World', 'hello'));
  assert.ok(containsFolded('anything', ''));
  assert.ok(containsFolded('ΟΔΥΣΣΕΥΣ', 'οδυσσευς'));
  assert.not.ok(containsFolded('hello', 'world'));
  const big = 'x'.repeat(ASCII_KERNEL_MIN_CHARS * 3) + 'Needle IN the haystack';
  assert.ok(containsFolded(big, 'nEEDLE in'));
  assert.not.ok(containsFolded(big, 'needle out'));
  assert.ok(containsFolded(big.replace('Needle', 'ﬁne Needle'), 'FINE'), 'non-ASCII haystack takes the Unicode path');
});

test('containsFolded: random ASCII around the kernel threshold agrees with the TS path', () => {
  for (let i = 0; i < 200; i++) {
    const len = ASCII_KERNEL_MIN_CHARS - 50 + int(r, 3000);
    const hay = randomAscii(r, len);
    const n = int(r, 12);
    const at = int(r, len - n);
    const needle = r() < 0.5 ? hay.slice(at, at + n).toUpperCase() : randomAscii(r, n);
    assert.is(containsFolded(hay, needle), reference(hay, needle), `${JSON.stringify(needle)} ${where}`);
  }
});

test('containsFolded: random Unicode text agrees with the TS path', () => {
  for (let i = 0; i < 200; i++) {
    const hay = randomText(r, int(r, 3000));
    const n = int(r, 6);
    const at = int(r, Math.max(1, hay.length - n));
    const needle = r() < 0.5 ? hay.slice(at, at + n).toUpperCase() : randomText(r, n);
    assert.is(containsFolded(hay, needle), reference(hay, needle), `${JSON.stringify(needle)} ${where}`);
  }
});

test.run();
