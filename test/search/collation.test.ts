/** i;unicode-casemap (RFC 5051): titlecase, canonical decomposition, octet order. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { casemapString, compareCasemap, containsCasemap, equalCasemap } from '../../core/search/collation.ts';

test('ASCII: case-insensitive, ordered as upper case', () => {
  assert.ok(equalCasemap('Hello', 'hELLO'));
  assert.is(compareCasemap('apple', 'Banana') < 0, true);
  // Titlecase puts letters before "_" (0x5f), where lowercasing would put them after.
  assert.is(compareCasemap('a', '_') < 0, true);
  assert.is(compareCasemap('Z', '[') < 0, true);
  assert.is(compareCasemap('abc', 'abc'), 0);
  assert.is(compareCasemap('', 'a') < 0, true);
});

test('diacritics decompose: base letter first, then the mark', () => {
  assert.is(casemapString('é'), 'E\u0301');
  assert.ok(equalCasemap('Émile', 'émile'));
  assert.ok(equalCasemap('e\u0301', 'É'));
  // After E, the mark (UTF-8 0xCC 0x81) sorts above any ASCII letter.
  assert.is(compareCasemap('émile', 'Ezra') > 0, true);
  assert.is(compareCasemap('éa', 'ez') > 0, true);
  assert.is(compareCasemap('éa', 'f') < 0, true);
});

test('non-Latin scripts and special cases', () => {
  assert.ok(equalCasemap('ΣΊΣΥΦΟΣ', 'σίσυφος'));
  assert.ok(equalCasemap('Привет', 'пРИВЕТ'));
  // ß has no single-character titlecase: it stays itself.
  assert.is(casemapString('ß'), 'ß');
  // Digraphs map to their titlecase form (Dž), not their uppercase (DŽ).
  assert.is(casemapString('\u01c6'), '\u01c5');
  assert.ok(equalCasemap('\u01c4', '\u01c6'));
  // Hangul syllables are left composed.
  assert.is(casemapString('한'), '한');
});

test('octet order of UTF-8, not UTF-16 code units', () => {
  // In UTF-16 units U+1F600 (0xD83D...) is below U+FF5A; in UTF-8 octets it is above.
  assert.is(compareCasemap('\u{1F600}', '\uFF5A') > 0, true);
});

test('substring matching', () => {
  assert.ok(containsCasemap('Grüße aus Köln', 'KÖLN'));
  // The mark sits between O and L after decomposition: no match without it.
  assert.not.ok(containsCasemap('Grüße aus Köln', 'KOLN'));
  assert.ok(containsCasemap('café', 'CAFE'));
  assert.ok(containsCasemap('anything', ''));
  assert.not.ok(containsCasemap('abc', 'abd'));
});

test.run();
