/** rebase.ts: which heads are behind a merged head, and the rows their diff touched. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffKeyFor } from '../../core/index/heads.ts';
import { isBehindAnotherHead, touchedRows } from '../../core/index/rebase.ts';

const P = 'ab/kim/i/root/';
const root = (ts: number) => `${P}bundle.${String(ts).padStart(15, '0')}.aaaaaaaaaaaa`;
const diff = (base: string, ts: number, w: string) => diffKeyFor(base, String(ts).padStart(15, '0'), 'bbbbbbbbbbbb', w);

test('touchedRows: flags and appends per mailbox; expunges and recent claims are not touches', () => {
  const t = touchedRows([
    { t: 'flags', mb: 'x', modseq: 5, uids: [1, 3], bits: [0, 1], kw: [[], []] },
    { t: 'append', mb: 'y', m: { uid: 9, guid: '0'.repeat(32), bits: 0, keywords: [], internalDate: 1, saveDate: 1, size: 1, modseq: 6, pop3Uidl: 'u' } },
    { t: 'expunge', mb: 'x', modseq: 7, uids: [2] },
    { t: 'recent', mb: 'x', firstRecentUid: 4 },
  ]);
  assert.equal([...t.keys()].sort(), ['x', 'y']);
  assert.equal([...t.get('x')!].sort(), [1, 3]);
  assert.equal([...t.get('y')!], [9]);
});

test('isBehindAnotherHead: only a diff whose base another head names as parent', () => {
  const r0 = root(1);
  const r1 = root(2);
  const merged = root(3);
  const onR1 = diff(r1, 4, 'A');
  const onR0 = diff(r0, 5, 'B');
  const parents = (k: string) => (k === merged ? [r1, r0] : k === r1 ? [r0] : []);
  const heads = [merged, onR1, onR0];
  assert.ok(isBehindAnotherHead(onR1, heads, parents));
  assert.ok(isBehindAnotherHead(onR0, heads, parents));
  assert.not.ok(isBehindAnotherHead(merged, heads, parents), 'a root is never lifted');
  // The plain split brain: two writers diffing one live base are peers, not behind.
  const w1 = diff(r0, 6, 'W1');
  const w2 = diff(r0, 7, 'W2');
  assert.not.ok(isBehindAnotherHead(w1, [w1, w2], parents));
});

test.run();
