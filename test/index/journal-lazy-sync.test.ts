/**
 * JournalWriter with sync: false (storage.fsync optimized): frames are written at once and
 * fdatasynced only by the next synced batch, a rotation, or the lazy sync LAZY_SYNC_MS later.
 * fdatasync calls are counted on node:fs, which the writer's fd-io.ts calls.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs, { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalWriter, LAZY_SYNC_MS, readJournal } from '../../core/index/journal.ts';
import type { JournalRecord } from '../../core/index/records.ts';

const dir = mkdtempSync(join(tmpdir(), 'columba-journal-'));
const flag = (uid: number): JournalRecord => ({ t: 'flags', mb: 'm', modseq: uid, uids: [uid], bits: [1], kw: [[]] });

let syncs = 0;
// The writer's fdatasync goes through node:fs (fd-io.ts looks it up at each call): count there.
const realFdatasync = fs.fdatasync;
(fs as { fdatasync: typeof fs.fdatasync }).fdatasync = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
  syncs++;
  return realFdatasync(fd, cb);
}) as typeof fs.fdatasync;
test.after(() => {
  (fs as { fdatasync: typeof fs.fdatasync }).fdatasync = realFdatasync;
});

test('unsynced frames are written at once, in order, with no fdatasync of their own', async () => {
  const path = join(dir, 'j1');
  const w = new JournalWriter(path);
  const before = syncs;
  await w.append([flag(1)], { sync: false });
  await w.append([flag(2)], { sync: false });
  assert.is(syncs - before, 0, 'no fdatasync yet');
  assert.equal((await readJournal(path)).map((b) => (b[0] as { uids: number[] }).uids[0]), [1, 2], 'both frames on disk');
  await w.append([flag(3)]); // a synced batch covers the earlier ones
  assert.is(syncs - before, 1);
  await w.close();
  assert.is(syncs - before, 1, 'nothing unsynced left: close does not sync again');
});

test('the lazy sync comes within LAZY_SYNC_MS, and a rotation syncs what is pending', async () => {
  const w = new JournalWriter(join(dir, 'j2'));
  const before = syncs;
  const t0 = Date.now();
  await w.append([flag(1)], { sync: false });
  // The lazy sync is due LAZY_SYNC_MS later; on a loaded machine it may take a while to finish.
  while (syncs === before && Date.now() - t0 < LAZY_SYNC_MS + 10_000) await new Promise((r) => setTimeout(r, 50));
  assert.is(syncs - before, 1, 'the lazy fdatasync ran');
  assert.ok(Date.now() - t0 >= LAZY_SYNC_MS - 50, 'not before it was due');
  await w.append([flag(2)], { sync: false });
  await w.rotate(join(dir, 'j3'));
  assert.is(syncs - before, 2, 'rotation synced the pending frame');
  await w.close();
});

test.run();
