/** mergeUserIndexes on hand-built heads: mailboxes, purge marks, keywords, UIDVALIDITY. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeUserIndexes } from '../../core/index/merge-index.ts';
import { mergePlanReference } from '../../core/index/merge-reference.ts';
import type { JournalRecord } from '../../core/index/records.ts';
import { UserIndex } from '../../core/index/user-index.ts';

const INBOX = '01'.repeat(16);
const ARCHIVE = '02'.repeat(16);
const g = (n: number) => n.toString(16).padStart(32, '0');
const add = (mb: string, uid: number, n: number, modseq: number, keywords: string[] = []): JournalRecord => ({
  t: 'append', mb, m: { uid, guid: g(n), bits: 0, keywords, internalDate: n, saveDate: n, size: 10, modseq, pop3Uidl: g(n) },
});

function base(): UserIndex {
  const u = new UserIndex();
  for (const r of [
    { t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 50, specialUse: null },
    { t: 'sub', name: 'INBOX', on: true },
    add(INBOX, 1, 1, 2),
    add(INBOX, 2, 2, 3, ['old']),
  ] as JournalRecord[]) u.apply(r);
  return u;
}

for (const [label, plan] of [['kernel', undefined], ['reference', mergePlanReference]] as const) {
  test(`${label}: mailboxes union, subscriptions union, a purge mark on a GUID still referenced is dropped`, () => {
    const a = base();
    const b = base();
    // A: expunges message 1 and marks its object; B: copies message 1 into a new Archive.
    a.apply({ t: 'expunge', mb: INBOX, modseq: 4, uids: [1] });
    a.apply({ t: 'purge', guids: [g(1)], on: true });
    a.apply({ t: 'purge', guids: [g(9)], on: true });
    b.apply({ t: 'create', name: 'Archive', guid: ARCHIVE, uidValidity: 60, specialUse: null });
    b.apply({ t: 'sub', name: 'Archive', on: true });
    b.apply(add(ARCHIVE, 1, 1, 2));
    b.apply({ t: 'flags', mb: INBOX, modseq: 4, uids: [2], bits: [0], kw: [['new', 'more']] });
    const m = mergeUserIndexes([a, b], plan);
    assert.equal([...m.mailboxes.keys()].sort(), ['Archive', 'INBOX']);
    assert.equal([...m.subscriptions].sort(), ['Archive', 'INBOX']);
    assert.is(m.lastUidValidity, 60);
    const inbox = m.selectable('INBOX').index;
    assert.is(inbox.uidValidity, 50);
    assert.equal(Array.from({ length: inbox.count }, (_, i) => inbox.guidAt(i)), [g(2)], 'expunged in INBOX on A');
    assert.equal(inbox.keywordsAt(0).sort(), ['more', 'new'], 'keywords of the copy with the higher MODSEQ');
    assert.equal(m.selectable('Archive').index.count, 1, 'the copy B made survives');
    assert.equal([...m.pendingPurge], [g(9)], 'the object of message 1 is still referenced by Archive: no purge');
  });
}

test('one head merges to itself', () => {
  const m = mergeUserIndexes([base()]);
  assert.is(m.selectable('INBOX').index.count, 2);
});

test.run();
