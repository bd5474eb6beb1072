import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffKeyFor, parseRootKey, resolveHeads, selectHeads } from '../../core/index/heads.ts';

const P = 'ab/kim/i/root/';
const root = (ts: number, r = 'aaaaaaaaaaaa') => `${P}bundle.${String(ts).padStart(15, '0')}.${r}`;
const diff = (base: string, ts: number, writer?: string) =>
  writer ? diffKeyFor(base, String(ts).padStart(15, '0'), 'bbbbbbbbbbbb', writer) : `${base}-DIFF.${String(ts).padStart(15, '0')}.cccccccccccc`;

test('parseRootKey: roots, legacy diffs, writer diffs', () => {
  const r = root(1);
  assert.equal(parseRootKey(r), { key: r, base: r, isDiff: false, writer: '' });
  assert.equal(parseRootKey(diff(r, 2)).writer, '');
  assert.equal(parseRootKey(diff(r, 2, 'w1')), { key: diff(r, 2, 'w1'), base: r, isDiff: true, writer: 'w1' });
});

test('one root and its diffs: the newest diff is the only head', () => {
  const r = root(1);
  const keys = [r, diff(r, 2, 'w1'), diff(r, 3, 'w1')];
  assert.equal(selectHeads(keys, () => undefined).heads, [diff(r, 3, 'w1')]);
});

test('legacy diffs: newest wins', () => {
  const r = root(1);
  assert.equal(selectHeads([r, diff(r, 2), diff(r, 5)], () => undefined).heads, [diff(r, 5)]);
});

test('two writers diffing one base: two heads', () => {
  const r = root(1);
  const keys = [r, diff(r, 2, 'w1'), diff(r, 3, 'w2'), diff(r, 4, 'w1')];
  assert.equal(selectHeads(keys, () => undefined).heads, [diff(r, 3, 'w2'), diff(r, 4, 'w1')]);
});

test('a root supersedes its parents; a crash before cleanup leaves one head', () => {
  const r1 = root(1);
  const d1 = diff(r1, 2, 'w1');
  const r2 = root(3);
  const parents = new Map([[r2, [r1, d1]]]);
  assert.equal(selectHeads([r1, d1, r2], (k) => parents.get(k)).heads, [r2]);
  // Not read yet: both look like heads.
  assert.equal(selectHeads([r1, d1, r2], () => undefined).heads, [d1, r2]);
});

test('a diff written on a superseded base by another writer stays a head', () => {
  const r1 = root(1);
  const d1 = diff(r1, 2, 'w1');
  const r2 = root(3);
  const d2 = diff(r1, 4, 'w2');
  const parents = new Map([[r2, [r1, d1]]]);
  assert.equal(selectHeads([r1, d1, r2, d2], (k) => parents.get(k)).heads, [d2, r2]);
});

test('two roots with unrelated parents: two heads; a legacy root supersedes everything older', () => {
  const r1 = root(1);
  const a = root(2, 'a1a1a1a1a1a1');
  const b = root(3, 'b1b1b1b1b1b1');
  assert.equal(selectHeads([r1, a, b], (k) => (k === r1 ? undefined : [r1])).heads, [a, b]);
  assert.equal(selectHeads([r1, a, diff(a, 5, 'w'), b], (k) => (k === b ? null : undefined)).heads, [b]);
});

test('a diff whose base is gone is an orphan, not a head', () => {
  const r1 = root(1);
  const r2 = root(3);
  const sel = selectHeads([diff(r1, 2, 'w1'), r2], () => [] as string[]);
  assert.equal(sel.heads, [r2]);
  assert.equal(sel.orphans, [diff(r1, 2, 'w1')]);
});

test('resolveHeads reads only the roots it needs, newest first', async () => {
  const r1 = root(1);
  const d1 = diff(r1, 2, 'w1');
  const r2 = root(3);
  const read: string[] = [];
  const parents: Record<string, string[]> = { [r2]: [r1, d1], [r1]: [] };
  const { heads } = await resolveHeads([r1, d1, r2], async (k) => {
    read.push(k);
    return parents[k]!;
  });
  assert.equal(heads, [r2]);
  assert.equal(read, [r2], 'r1 is never read: r2 supersedes it');
  const one = await resolveHeads([r1, d1], async (k) => {
    read.push(k);
    return [];
  });
  assert.equal(one.heads, [d1]);
  assert.equal(read, [r2, r1]);
});

test.run();
