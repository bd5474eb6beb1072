/**
 * Split brain that lasts: one side snapshots a new base (enough changes) while the other keeps
 * writing diffs against the old base, and a third backend merges while both still write. The
 * superseded bases stay for storage.supersededGraceMs, so every side's diffs stay heads and a fresh
 * loader sees every flag change and expunge; once the grace is over (0 here) they are deleted.
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
import { decodeRootBundle } from '../../core/index/bundle.ts';
import { FLAG_ANSWERED, FLAG_FLAGGED, FLAG_SEEN } from '../../core/index/flags.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { indexPrefix } from '../../core/storage/keys.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { configSchema } from '../../core/config/schema.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-split-grace-'));
const USER = 'lou';
const INBOX = 'cc'.repeat(16);
const guid = (n: number) => n.toString(16).padStart(32, '0');
const configFor = (storage: Record<string, unknown>) =>
  configSchema.parse({ home, log: { level: 'silent' }, storage: { upload: { atLogout: true }, ...storage } });

let n = 0;
function backend(objects: ObjectStore, name: string, storage: Record<string, unknown> = {}): IndexPersistence {
  const config = configFor(storage);
  return createDurablePersistence({ user: USER, objects, config, dir: join(home, `meta-${name}-${n++}`), writer: { tag: name, info: name } });
}

async function change(p: IndexPersistence, index: UserIndex, recs: JournalRecord[]): Promise<void> {
  for (const r of recs) index.apply(r);
  await p.commit(recs);
}

const inbox = (index: UserIndex) => index.selectable('INBOX').index;
const next = (index: UserIndex) => inbox(index).highestModseq + 1;
const append = (index: UserIndex, g: number): JournalRecord => ({
  t: 'append', mb: INBOX,
  m: { uid: inbox(index).uidNext, guid: guid(g), bits: 0, keywords: [], internalDate: g, saveDate: g, size: 100, modseq: next(index), pop3Uidl: guid(g) },
});
const flags = (index: UserIndex, uid: number, bits: number): JournalRecord => ({ t: 'flags', mb: INBOX, modseq: next(index), uids: [uid], bits: [bits], kw: [[]] });
const expunge = (index: UserIndex, uid: number): JournalRecord => ({ t: 'expunge', mb: INBOX, modseq: next(index), uids: [uid] });

/** GUID number → flags, for every message in INBOX. */
function byGuid(index: UserIndex): Record<number, number> {
  const idx = inbox(index);
  const out: Record<number, number> = {};
  for (let i = 0; i < idx.count; i++) out[parseInt(idx.guidAt(i), 16)] = idx.flags[i]!;
  return out;
}

async function keysUnder(objects: ObjectStore, mailbox: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of objects.list(indexPrefix(USER, mailbox))) out.push(k);
  return out;
}

/** Base R0 with INBOX holding messages 1..5; then A (snapshots every 5 changes) and B load it. */
async function forked(objects: ObjectStore) {
  const p0 = backend(objects, 'z0');
  const { index: i0 } = await p0.load();
  await change(p0, i0, [{ t: 'create', name: 'INBOX', guid: INBOX, uidValidity: 42, specialUse: null }]);
  for (let g = 1; g <= 5; g++) await change(p0, i0, [append(i0, g)]);
  await p0.close();
  const pa = backend(objects, 'A', { snapshotEveryChanges: 5 });
  const pb = backend(objects, 'B', { snapshotEveryChanges: 1000 });
  const a = (await pa.load()).index;
  const b = (await pb.load()).index;
  return { pa, pb, a, b };
}

test('a diff against a base the other side superseded by a snapshot is still merged', async () => {
  const objects = createMemoryStore();
  const { pa, pb, a, b } = await forked(objects);
  await change(pb, b, [flags(b, 1, FLAG_SEEN)]);
  await change(pb, b, [expunge(b, 2)]);
  await pb.flush(); // a diff against R0
  for (let g = 6; g <= 10; g++) await change(pa, a, [append(a, g)]);
  await pa.uploaded!(); // the 5th change made A snapshot: a new base superseding R0
  await change(pb, b, [flags(b, 3, FLAG_FLAGGED)]);
  await change(pb, b, [expunge(b, 4)]);
  await pb.flush(); // B still writes against R0

  const pc = backend(objects, 'C');
  const { index: m } = await pc.load();
  assert.equal(byGuid(m), { 1: FLAG_SEEN, 3: FLAG_FLAGGED, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0 });
  assert.is(inbox(m).uidValidity, 42);
  await pa.close();
  await pb.close();
  await pc.close();
});

test('a third backend merges while both sides still write: nothing either side writes afterwards is lost', async () => {
  const objects = createMemoryStore();
  const { pa, pb, a, b } = await forked(objects);
  await change(pb, b, [flags(b, 1, FLAG_SEEN)]);
  await change(pb, b, [expunge(b, 2)]);
  await pb.flush();
  for (let g = 6; g <= 10; g++) await change(pa, a, [append(a, g)]);
  await pa.uploaded!();

  // C merges both heads and writes the merged base (it supersedes A's base and B's line).
  const pc = backend(objects, 'C');
  await pc.load();
  await pc.close();

  // Both sides go on from their own bases.
  await change(pb, b, [flags(b, 5, FLAG_ANSWERED)]);
  await change(pb, b, [expunge(b, 3)]);
  await pb.flush();
  await change(pa, a, [expunge(a, 7)]);
  await change(pa, a, [append(a, 11)]);
  await pa.flush();

  const pd = backend(objects, 'D');
  const { index: m } = await pd.load();
  assert.equal(byGuid(m), { 1: FLAG_SEEN, 4: 0, 5: FLAG_ANSWERED, 6: 0, 8: 0, 9: 0, 10: 0, 11: 0 });
  await pd.close();
  await pa.close();
  await pb.close();

  // After the grace (0 for this loader) only the merged base and what it names are left.
  const pe = backend(objects, 'E', { supersededGraceMs: 0 });
  const { index: last } = await pe.load();
  assert.equal(byGuid(last), byGuid(m));
  await pe.close();
  const roots = await keysUnder(objects, 'root');
  assert.is(roots.length, 1, roots.join('\n'));
  const rb = decodeRootBundle((await objects.get(roots[0]!)).data);
  assert.equal(await keysUnder(objects, INBOX), Object.values(rb.bundles).sort(), 'mailbox bundles of superseded bases are gone');
  const pf = backend(objects, 'F');
  assert.equal(byGuid((await pf.load()).index), byGuid(m));
  await pf.close();
});

test('a flag change after a third backend merged its line wins over the merged copy (rebase.ts)', async () => {
  const objects = createMemoryStore();
  const { pa, pb, a, b } = await forked(objects);
  // B's MODSEQs run far ahead of A's: the merge gives the rows it changed a MODSEQ above A's next ones.
  for (let i = 0; i < 10; i++) await change(pb, b, [flags(b, 1, i % 2 ? 0 : FLAG_SEEN)]);
  await pb.close();
  for (let g = 6; g <= 10; g++) await change(pa, a, [append(a, g)]);
  await pa.uploaded!();
  const pc = backend(objects, 'C');
  await pc.load();
  await pc.close();
  await change(pa, a, [flags(a, 8, FLAG_FLAGGED)]); // message 8 is A's only: the merge marked it changed
  await pa.close();
  const pd = backend(objects, 'D');
  const { index: m } = await pd.load();
  assert.is(byGuid(m)[8], FLAG_FLAGGED);
  assert.is(byGuid(m)[1], 0, "B's last flag change");
  await pd.close();
});

test('superseded bases stay within the grace period', async () => {
  const objects = createMemoryStore();
  const { pa, pb, a } = await forked(objects);
  const before = await keysUnder(objects, 'root');
  for (let g = 6; g <= 10; g++) await change(pa, a, [append(a, g)]);
  await pa.uploaded!();
  await pa.close();
  await pb.close();
  const after = await keysUnder(objects, 'root');
  assert.ok(after.includes(before[0]!), 'R0 kept');
  assert.is(after.length, 2);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
