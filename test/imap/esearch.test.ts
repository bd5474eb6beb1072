/** ESEARCH result options (RFC 4731, RFC 5182 SAVE, RFC 5267 PARTIAL) and set compression. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyResultOptions, compressSet, esearchLine } from '../../protocols/imap/esearch.ts';

test('compressSet joins runs and keeps singles', () => {
  assert.is(compressSet([2, 3, 4, 8]), '2:4,8');
  assert.is(compressSet([1]), '1');
  assert.is(compressSet([]), '');
  assert.is(compressSet([5, 5, 6, 9, 10]), '5:6,9:10');
});

test('RETURN () means ALL; CONTEXT and UPDATE alone too', () => {
  for (const opts of [[], ['CONTEXT'], ['UPDATE'], ['CONTEXT', 'UPDATE']]) {
    const r = applyResultOptions(opts, [2, 10, 11], null);
    assert.equal(r.items, { all: [2, 10, 11] });
    assert.is(r.saved, null);
  }
});

test('the RFC 4731 line shape, with UID and every item', () => {
  const r = applyResultOptions(['COUNT', 'ALL', 'MAX', 'MIN'], [2, 3, 4, 8], null);
  assert.is(esearchLine('A1', true, r.items!), 'ESEARCH (TAG "A1") UID MIN 2 MAX 8 ALL 2:4,8 COUNT 4');
});

test('an empty result omits MIN, MAX and ALL but keeps COUNT', () => {
  const r = applyResultOptions(['MIN', 'MAX', 'ALL', 'COUNT'], [], null);
  assert.is(esearchLine('t', false, r.items!), 'ESEARCH (TAG "t") COUNT 0');
});

test('SAVE alone sends nothing and saves everything', () => {
  const r = applyResultOptions(['SAVE'], [4, 7, 9], null);
  assert.is(r.items, null);
  assert.equal(r.saved, [0, 1, 2]);
});

test('SAVE with MIN and/or MAX saves only those (RFC 5182 2.1)', () => {
  assert.equal(applyResultOptions(['SAVE', 'MIN'], [4, 7, 9], null).saved, [0]);
  assert.equal(applyResultOptions(['SAVE', 'MAX'], [4, 7, 9], null).saved, [2]);
  assert.equal(applyResultOptions(['SAVE', 'MIN', 'MAX'], [4, 7, 9], null).saved, [0, 2]);
  assert.equal(applyResultOptions(['SAVE', 'MIN', 'MAX'], [4], null).saved, [0]);
  assert.equal(applyResultOptions(['SAVE', 'MIN'], [], null).saved, []);
  assert.equal(applyResultOptions(['SAVE', 'MIN', 'COUNT'], [4, 7, 9], null).saved, [0, 1, 2]);
});

test('MODSEQ is the highest over what is reported', () => {
  const modseqs = [5, 50, 7];
  const of = (i: number): number => modseqs[i]!;
  assert.is(applyResultOptions(['ALL'], [1, 2, 3], of).items!.modseq, 50);
  assert.is(applyResultOptions(['MIN', 'MAX'], [1, 2, 3], of).items!.modseq, 7);
  assert.is(applyResultOptions(['COUNT'], [], of).items!.modseq, undefined);
});

test('PARTIAL picks positions and says NIL past the end', () => {
  const m = [3, 4, 5, 9, 12];
  const a = applyResultOptions(['PARTIAL'], m, null, { low: 2, high: 4 });
  assert.is(esearchLine('p', true, a.items!), 'ESEARCH (TAG "p") UID PARTIAL (2:4 4:5,9)');
  const b = applyResultOptions(['PARTIAL', 'COUNT'], m, null, { low: 6, high: 9 });
  assert.is(esearchLine('q', false, b.items!), 'ESEARCH (TAG "q") PARTIAL (6:9 NIL) COUNT 5');
});

test.run();
