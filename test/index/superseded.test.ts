/** When superseded index keys may go (core/index/superseded.ts): grace, heads, bases of heads. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffKeyFor } from '../../core/index/heads.ts';
import { bundlesOnlyNamedBy, planSuperseded, rootKeyTime } from '../../core/index/superseded.ts';

const P = 'ab/kim/i/root/';
const root = (ts: number, r = 'aaaaaaaaaaaa') => `${P}bundle.${String(ts).padStart(15, '0')}.${r}`;
const diff = (base: string, ts: number, writer: string) => diffKeyFor(base, String(ts).padStart(15, '0'), 'bbbbbbbbbbbb', writer);
const GRACE = 1000;

test('rootKeyTime: a root its own time, a diff the diff time', () => {
  assert.is(rootKeyTime(root(1700000000123)), 1700000000123);
  assert.is(rootKeyTime(diff(root(5), 1700000000999, 'w')), 1700000000999);
  assert.is(rootKeyTime(`${P}garbage`), 0);
});

test('a base superseded by a snapshot stays for the grace, counted from the snapshot', () => {
  const r0 = root(100);
  const d = diff(r0, 150, 'A');
  const r1 = root(5000);
  const parents = (k: string) => (k === r1 ? [r0, d] : k === r0 ? [] : undefined);
  const keys = [r0, d, r1];
  const early = planSuperseded(keys, parents, 5000 + GRACE - 1, GRACE);
  assert.equal(early.heads, [r1]);
  assert.equal(early.deletable, [], 'not before the grace (the base is old, its supersession is not)');
  assert.is(early.nextDue, 5000 + GRACE);
  assert.equal(planSuperseded(keys, parents, 5000 + GRACE, GRACE).deletable, [r0, d].sort());
});

test('the other side still writing diffs keeps the superseded base, however old', () => {
  const r0 = root(100);
  const r1 = root(200); // A's snapshot, superseding r0
  const b = diff(r0, 300, 'B'); // B goes on writing against r0
  const parents = (k: string) => (k === r1 ? [r0] : k === r0 ? [] : undefined);
  const plan = planSuperseded([r0, r1, b], parents, 1e9, GRACE);
  assert.equal(plan.heads, [b, r1].sort());
  assert.equal(plan.deletable, []);
  assert.is(plan.neededUntil.get(r0), Infinity);
});

test('after a merge the base lives on for the grace counted from the merge, not from its diffs', () => {
  const r0 = root(100);
  const r1 = root(200);
  const b1 = diff(r0, 300, 'B');
  const m = root(10_000); // a third backend merged r1 and b1 (r0 carried)
  const parents = (k: string) => (k === r1 ? [r0] : k === m ? [r1, b1, r0] : k === r0 ? [] : undefined);
  const keys = [r0, r1, b1, m];
  const plan = planSuperseded(keys, parents, 10_000 + GRACE - 1, GRACE);
  assert.equal(plan.heads, [m]);
  assert.equal(plan.deletable, []);
  assert.is(plan.neededUntil.get(r0), 10_000, 'its diff was needed until the merge');
  assert.is(plan.neededUntil.get(r1), 10_000);
  assert.equal(planSuperseded(keys, parents, 10_000 + GRACE, GRACE).deletable, [r0, r1, b1].sort());
});

test('own older diffs: superseded by the next diff of the same writer', () => {
  const r0 = root(100);
  const d1 = diff(r0, 200, 'A');
  const d2 = diff(r0, 900, 'A');
  const plan = planSuperseded([r0, d1, d2], (k) => (k === r0 ? [] : undefined), 900 + GRACE, GRACE);
  assert.equal(plan.heads, [d2]);
  assert.equal(plan.deletable, [d1], 'the base of a head stays');
});

test('a root not read but named by a read root: superseded at that root\'s time', () => {
  const r0 = root(100);
  const r1 = root(200);
  const r2 = root(9000);
  const parents = (k: string) => (k === r2 ? [r1, r0] : undefined); // r1 unread
  const plan = planSuperseded([r0, r1, r2], parents, 9000 + GRACE, GRACE);
  assert.equal(plan.deletable, [r0, r1].sort());
  assert.equal(planSuperseded([r0, r1, r2], parents, 9000 + GRACE - 1, GRACE).deletable, []);
});

test('bundlesOnlyNamedBy: shared (inherited) bundles stay', () => {
  const named: Record<string, string[]> = { old: ['x', 'y'], fork: ['x', 'z'], head: ['x', 'w'] };
  assert.equal(bundlesOnlyNamedBy(['old'], ['fork', 'head'], (r) => named[r]!), ['y']);
  assert.equal(bundlesOnlyNamedBy(['old', 'fork'], ['head'], (r) => named[r]!), ['y', 'z']);
});

test.run();
