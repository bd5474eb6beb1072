/**
 * Two durable persistences (two "backends": own metacache, own writer tag) over one object store
 * change the same user from the same base; a third loads: the heads are merged, the merged base
 * supersedes them, and only then are the old keys deleted.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDurablePersistence } from '../../core/index/durable-persistence.ts';
import type { IndexPersistence } from '../../core/index/persistence.ts';
import type { JournalRecord } from '../../core/index/records.ts';
import type { UserIndex } from '../../core/index/user-index.ts';
import { FLAG_FLAGGED, FLAG_SEEN } from '../../core/index/flags.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { indexPrefix, messageKey } from '../../core/storage/keys.ts';
import { encodeMessageObject } from '../../core/storage/message-object.ts';
import { recoverUnindexedMessages } from '../../core/storage/recovery.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { configSchema } from '../../core/config/schema.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-merge-heads-'));
// Grace 0: superseded keys go once the merged base is durable (split-brain-grace.test.ts: the grace).
const config = configSchema.parse({ home, log: { level: 'silent' }, storage: { upload: { atLogout: true }, supersededGraceMs: 0 } });
const USER = 'kim';
const INBOX = 'aa'.repeat(16);
const guid = (n: number) => n.toString(16).padStart(32, '0');

let n = 0;
function backend(objects: ObjectStore, name: string): IndexPersistence {
  return createDurablePersistence({ user: USER, objects, config, dir: join(home, `meta-${name}-${n++}`), writer: { tag: name, info: name } });
}

async function change(p: IndexPersistence, index: UserIndex, recs: JournalRecord[]): Promise<void> {
  for (const r of recs) index.apply(r);
  await p.commit(recs);
}

const inbox = (index: UserIndex) => index.selectable('INBOX').index;
const next = (index: UserIndex) => inbox(index).highestModseq + 1;
const append = (index: UserIndex, g: number, save: number): JournalRecord => ({
  t: 'append', mb: INBOX,
  m: { uid: inbox(index).uidNext, guid: guid(g), bits: 0, keywords: [], internalDate: save, saveDate: save, size: 100, modseq: next(index), pop3Uidl: guid(g) },
});
const flags = (index: UserIndex, uid: number, bits: number, kw: string[] = []): JournalRecord => ({ t: 'flags', mb: INBOX, modseq: next(index), uids: [uid], bits: [bits], kw: [kw] });
const expunge = (index: UserIndex, uid: number): JournalRecord => ({ t: 'expunge', mb: INBOX, modseq: next(index), uids: [uid] });

function rows(index: UserIndex): [number, string, number, string][] {
  const idx = inbox(index);
  return Array.from({ length: idx.count }, (_, i) => [idx.uids[i]!, idx.guidAt(i), idx.flags[i]!, idx.keywordsAt(i).join(' ')]);
}

async function rootKeys(objects: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const k of objects.list(indexPrefix(USER, 'root'))) out.push(k);
  return out;
}

test('split brain: both backends changed one base; the next load merges and the flush supersedes both', async () => {
  const objects = createMemoryStore();
  const p0 = backend(objects, 'w0');
  const { index: i0 } = await p0.load();
  await change(p0, i0, [{ t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 777, specialUse: null }]);
  for (let g = 1; g <= 5; g++) await change(p0, i0, [append(i0, g, 1000 + g)]);
  await p0.close();
  assert.is((await rootKeys(objects)).length, 1, 'one base');

  const p1 = backend(objects, 'w1');
  const p2 = backend(objects, 'w2');
  const { index: a } = await p1.load();
  const { index: b } = await p2.load();
  // Side 1: flags on 1 (twice: the higher MODSEQ), expunge 2, a new message 6.
  await change(p1, a, [flags(a, 1, FLAG_SEEN)]);
  await change(p1, a, [flags(a, 1, FLAG_SEEN | FLAG_FLAGGED, ['work'])]);
  await change(p1, a, [expunge(a, 2)]);
  await change(p1, a, [append(a, 6, 2000)]);
  // Side 2: flags on 1 once (loses), on 3 (wins: side 1 never touched it), expunge 4, message 7 on UID 6 too.
  await change(p2, b, [flags(b, 1, FLAG_FLAGGED)]);
  await change(p2, b, [flags(b, 3, FLAG_SEEN, ['todo'])]);
  await change(p2, b, [expunge(b, 4)]);
  await change(p2, b, [append(b, 7, 1999)]);
  const highest = Math.max(inbox(a).highestModseq, inbox(b).highestModseq);
  await p1.close();
  await p2.close();
  const before = await rootKeys(objects);
  assert.is(before.length, 3, 'the base and one diff per writer');

  const p3 = backend(objects, 'w3');
  const { index: m } = await p3.load();
  assert.equal(rows(m), [
    [1, guid(1), FLAG_SEEN | FLAG_FLAGGED, 'work'],
    [3, guid(3), FLAG_SEEN, 'todo'],
    [5, guid(5), 0, ''],
    [6, guid(7), 0, ''], // saved earlier: keeps UID 6
    [7, guid(6), 0, ''], // moved to uidNext
  ]);
  const mi = inbox(m);
  assert.is(mi.uidValidity, 777, 'UIDVALIDITY kept');
  assert.is(mi.uidNext, 8);
  assert.ok(mi.highestModseq > highest, 'HIGHESTMODSEQ above both heads');
  assert.ok(mi.modseqs[4]! > highest, 'the moved message is new to everyone');
  const vanished = mi.expungeLog.since(highest).ranges;
  assert.equal(vanished, [2, 2, 4, 4, 6, 6], 'QRESYNC: the UIDs either side lost vanish at the merge');
  assert.equal(await rootKeys(objects), before, 'nothing deleted before the merged base is durable');

  await p3.close();
  const after = await rootKeys(objects);
  assert.is(after.length, 1, 'one base supersedes every head; the old keys are gone');
  assert.not.ok(before.includes(after[0]!));

  const p4 = backend(objects, 'w4');
  const { index: again } = await p4.load();
  assert.equal(rows(again), rows(m), 'the merged base loads as one head');
  assert.is(inbox(again).highestModseq, mi.highestModseq, 'no second merge');
  await p4.close();
});

test('a merge is idempotent: a crash before the merged base leaves the heads; the same merge runs again', async () => {
  const objects = createMemoryStore();
  const p0 = backend(objects, 'x0');
  const { index: i0 } = await p0.load();
  await change(p0, i0, [{ t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 5, specialUse: null }]);
  await change(p0, i0, [append(i0, 1, 1)]);
  await p0.close();
  const p1 = backend(objects, 'x1');
  const p2 = backend(objects, 'x2');
  const { index: a } = await p1.load();
  const { index: b } = await p2.load();
  await change(p1, a, [append(a, 2, 10)]);
  await change(p2, b, [append(b, 3, 11)]);
  await p1.close();
  await p2.close();
  const first = backend(objects, 'x3');
  const r1 = rows((await first.load()).index); // never closed: as if killed
  const second = backend(objects, 'x4');
  const r2 = rows((await second.load()).index);
  assert.equal(r2, r1);
  assert.equal(r1.map((r) => r[1]), [guid(1), guid(2), guid(3)]);
  await second.close();
});

async function putMessage(objects: ObjectStore, g: number, save: number): Promise<void> {
  const { data, meta } = await encodeMessageObject(
    { guid: guid(g), mailboxGuid: INBOX, mailboxName: 'INBOX', internalDate: save, saveDate: save, flags: [], size: 0, pop3Uidl: guid(g) },
    Buffer.from(`Subject: m${g}\r\n\r\nbody\r\n`),
    { compressMinBytes: 1 << 30 },
  );
  await objects.put(messageKey(USER, guid(g)), data, meta);
}

test('recovery after a merge adds unknown objects and does not resurrect one expunged on a head', async () => {
  const objects = createMemoryStore();
  const p0 = backend(objects, 'r0');
  const { index: i0 } = await p0.load();
  await change(p0, i0, [{ t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 9, specialUse: null }]);
  for (const g of [1, 2]) {
    await putMessage(objects, g, g);
    await change(p0, i0, [append(i0, g, g)]);
  }
  await p0.close();
  const p1 = backend(objects, 'r1');
  const p2 = backend(objects, 'r2');
  const { index: a } = await p1.load();
  const { index: b } = await p2.load();
  // Side 1 expunged message 2 and marked its object for deletion, then died before deleting it.
  await change(p1, a, [expunge(a, 2), { t: 'purge', guids: [guid(2)], on: true }]);
  await putMessage(objects, 3, 3);
  await change(p2, b, [append(b, 3, 3)]);
  await p1.close();
  await p2.close();
  await putMessage(objects, 4, 4); // delivered after the last upload: no index knows it

  const p3 = backend(objects, 'r3');
  const { index: m } = await p3.load();
  assert.ok(m.pendingPurge.has(guid(2)), 'the purge mark survives the merge');
  const recovered = await recoverUnindexedMessages(
    {
      user: USER, index: m, objects,
      commit: (recs) => change(p3, m, recs),
      createRecord: () => { throw new Error('no mailbox should be created'); },
    },
    objects,
  );
  assert.is(recovered, 1, 'only the unknown delivery is added');
  assert.equal(rows(m).map((r) => r[1]), [guid(1), guid(3), guid(4)], 'the expunged message stays expunged');
  await p3.close();
});

test('a brand-new user on two backends: two INBOXes (two GUIDs) become one with both messages', async () => {
  const objects = createMemoryStore();
  const p1 = backend(objects, 'n1');
  const p2 = backend(objects, 'n2');
  const { index: a } = await p1.load();
  const { index: b } = await p2.load();
  const other = 'bb'.repeat(16);
  await change(p1, a, [{ t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 100, specialUse: null }]);
  await change(p1, a, [append(a, 1, 1)]);
  await change(p2, b, [{ t: 'create', name: 'INBOX', guid: other, uidValidity: 101, specialUse: null }]);
  const bi = b.selectable('INBOX').index;
  const rec: JournalRecord = { t: 'append', mb: other, m: { uid: 1, guid: guid(2), bits: 0, keywords: [], internalDate: 2, saveDate: 2, size: 1, modseq: bi.highestModseq + 1, pop3Uidl: guid(2) } };
  await change(p2, b, [rec]);
  await p1.close();
  await p2.close();
  const p3 = backend(objects, 'n3');
  const { index: m } = await p3.load();
  assert.equal([...m.mailboxes.keys()], ['INBOX']);
  const heads = await rootKeys(objects);
  const first = m.selectable('INBOX');
  assert.equal(rows(m).map((r) => r[0]), [1, 2], 'the second INBOX\'s message gets a new UID');
  assert.equal(new Set(rows(m).map((r) => r[1])), new Set([guid(1), guid(2)]));
  assert.ok(first.guid === INBOX || first.guid === other);
  assert.is(heads.length, 2);
  await p3.close();
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
