/**
 * storage.upload: diffs go up after N deliveries and a delay after IMAP changes, so another
 * backend (fresh metacache, same objects) sees them without the first one ever releasing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { classifyBatch, type PolicyTimers, UploadPolicy, uploadsAtLogout } from '../../core/index/upload-policy.ts';
import { createDurablePersistence } from '../../core/index/durable-persistence.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { inlineLz4Codec } from '../../core/storage/message-object.ts';
import { indexPrefix } from '../../core/storage/keys.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { UserStore } from '../../core/storage/user-store.ts';
import { MessageReadCache } from '../../core/storage/read-cache.ts';
import type { Config } from '../../core/config/schema.ts';
import { msg, tempHome, testConfig } from './helpers.ts';

/** A fake clock: timers run only when the test says so. */
function fakeTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const timers: PolicyTimers = {
    set(fn, ms) {
      const id = next++;
      pending.set(id, { fn, ms });
      return id;
    },
    clear(h) {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    pending,
    runAll() {
      const all = [...pending.values()];
      pending.clear();
      for (const t of all) t.fn();
    },
  };
}

async function rootKeys(objects: ObjectStore, user: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of objects.list(indexPrefix(user, 'root'))) out.push(k);
  return out;
}
const diffs = (keys: string[]) => keys.filter((k) => k.includes('-DIFF.'));

/** Wait for background uploads: poll the store, bounded (no timing assertion). */
async function until(cond: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** A user store on durable persistence with a fake clock, as the provider would build it. */
async function openWithClock(config: Config, objects: ObjectStore, user: string, timers: PolicyTimers) {
  const persistence = createDurablePersistence({ user, objects, config, dir: join(config.home, 'metacache'), timers });
  return UserStore.open({ user, config, objects, codec: inlineLz4Codec, persistence, readCache: new MessageReadCache(1 << 20), onRelease: async () => {} });
}

test('classifyBatch: one append is a delivery, recent claims alone are nothing', () => {
  const m = { uid: 1, guid: 'a'.repeat(32), bits: 0, keywords: [], internalDate: 0, saveDate: 0, size: 1, modseq: 2, pop3Uidl: 'x' };
  assert.is(classifyBatch([{ t: 'append', mb: 'g', m }]), 'delivery');
  assert.is(classifyBatch([{ t: 'append', mb: 'g', m }, { t: 'append', mb: 'g', m }]), 'change');
  assert.is(classifyBatch([{ t: 'recent', mb: 'g', firstRecentUid: 3 }]), 'none');
  assert.is(classifyBatch([{ t: 'sub', name: 'x', on: true }]), 'change');
});

test('UploadPolicy: fires at the Nth delivery; one coalesced timer for changes', () => {
  const clock = fakeTimers();
  let uploads = 0;
  const p = new UploadPolicy({ everyDeliveries: 3, afterChangeMs: 5000, atLogout: true }, () => uploads++, clock.timers);
  const m = { uid: 1, guid: 'a'.repeat(32), bits: 0, keywords: [], internalDate: 0, saveDate: 0, size: 1, modseq: 2, pop3Uidl: 'x' };
  p.noteCommit([{ t: 'append', mb: 'g', m }]);
  p.noteCommit([{ t: 'append', mb: 'g', m }]);
  assert.is(uploads, 0);
  p.noteCommit([{ t: 'append', mb: 'g', m }]);
  assert.is(uploads, 1);
  assert.is(p.pendingDeliveries, 0);
  p.noteCommit([{ t: 'sub', name: 'a', on: true }]);
  p.noteCommit([{ t: 'sub', name: 'b', on: true }]);
  assert.is(clock.pending.size, 1);
  assert.is([...clock.pending.values()][0]!.ms, 5000);
  assert.is(uploads, 1);
  clock.runAll();
  assert.is(uploads, 2);
  // An upload for another reason cancels the timer.
  p.noteCommit([{ t: 'sub', name: 'c', on: true }]);
  p.uploaded();
  assert.is(clock.pending.size, 0);
  p.stop();
  p.noteCommit([{ t: 'sub', name: 'd', on: true }]);
  assert.is(clock.pending.size, 0);
});

test('after everyDeliveries deliveries a diff object exists, not before', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 3, afterChangeMs: 5000, atLogout: true } } as never });
  const objects = createMemoryStore();
  const clock = fakeTimers();
  const s = await openWithClock(config, objects, 'dora', clock.timers);
  clock.runAll(); // the creation of the default mailboxes: a base
  assert.ok(await until(async () => (await rootKeys(objects, 'dora')).length === 1), 'base uploaded');
  await s.append('INBOX', msg('1'));
  await s.append('INBOX', msg('2'));
  assert.equal(diffs(await rootKeys(objects, 'dora')), [], 'nothing after 2 deliveries');
  await s.append('INBOX', msg('3'));
  assert.ok(await until(async () => diffs(await rootKeys(objects, 'dora')).length === 1), 'diff after 3 deliveries');
  await s.unload();
});

test('a flag change is uploaded after the delay and another backend sees it', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 100, afterChangeMs: 5000, atLogout: true } } as never });
  const objects = createMemoryStore();
  const clock = fakeTimers();
  const s = await openWithClock(config, objects, 'eve', clock.timers);
  await s.append('INBOX', msg('one'));
  clock.runAll();
  await s.flush(); // let the first base upload settle
  const before = await rootKeys(objects, 'eve');
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.store([1], 'add', ['\\Flagged']);
  assert.is(clock.pending.size, 1, 'one timer armed');
  assert.equal(await rootKeys(objects, 'eve'), before, 'nothing uploaded before the delay');
  clock.runAll();
  assert.ok(await until(async () => diffs(await rootKeys(objects, 'eve')).length === 1), 'diff after the delay');

  // Another backend: its own (empty) metacache, the same objects; the first never released.
  const other = testConfig({ home: tempHome() });
  const provider = createMailStore({ config: other, objects, journal: 'fs', lingerMs: 0 });
  const s2 = await provider.openUser('eve');
  const v2 = await s2.openMailbox('INBOX', { readOnly: true });
  assert.equal(v2.meta(1).flags, ['\\Flagged']);
  await v2.close();
  await s2.release();
  await provider.close();
  await v.close();
  await s.unload();
});

test('atLogout false: the last release uploads nothing', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 100, afterChangeMs: 60000, atLogout: false } } as never });
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects, journal: 'fs', lingerMs: 60000 });
  const s = await provider.openUser('finn');
  await s.release();
  const s1 = await provider.openUser('finn');
  await s1.append('INBOX', msg('x'));
  await s1.release();
  assert.equal(await rootKeys(objects, 'finn'), [], 'no upload at release');
  await provider.close(); // shutdown still uploads
  assert.is((await rootKeys(objects, 'finn')).length, 1);
});

test('a release with only \\Recent claims since the last upload uploads nothing', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 20, afterChangeMs: 5000, atLogout: true } } as never });
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects, journal: 'fs', lingerMs: 60000 });
  const s = await provider.openUser('gus');
  await s.append('INBOX', msg('x'));
  await s.release();
  const before = await rootKeys(objects, 'gus');
  assert.is(before.length, 1);
  const s1 = await provider.openUser('gus');
  const v = await s1.openMailbox('INBOX', { readOnly: false });
  assert.is(v.recentCount(), 1, 'the claim was made');
  await v.close();
  await s1.release();
  assert.equal(await rootKeys(objects, 'gus'), before);
  const s2 = await provider.openUser('gus');
  const v2 = await s2.openMailbox('INBOX', { readOnly: false });
  await v2.store([1], 'add', ['\\Seen']);
  await v2.close();
  await s2.release();
  assert.not.equal(await rootKeys(objects, 'gus'), before, 'a flag change is uploaded at logout');
  await provider.close();
});

test('atLogout auto: a release uploads for s3 and sproxyd, not for a local folder', async () => {
  assert.is(uploadsAtLogout('auto', 's3'), true);
  assert.is(uploadsAtLogout('auto', 'sproxyd'), true);
  assert.is(uploadsAtLogout('auto', 'fs'), false);
  assert.is(uploadsAtLogout('auto', 'memory'), false);
  assert.is(uploadsAtLogout(true, 'fs'), true);
  assert.is(uploadsAtLogout(false, 's3'), false);
  // End to end with the default (auto) on fs: the release leaves the upload to the policy.
  const config = testConfig();
  assert.is(config.storage.upload.atLogout, 'auto');
  const objects = createMemoryStore();
  const provider = createMailStore({ config: { ...config, storage: { ...config.storage, driver: 'fs' } }, objects, journal: 'fs', lingerMs: 60000 });
  const s = await provider.openUser('hal');
  await s.append('INBOX', msg('x'));
  await s.release();
  assert.equal(await rootKeys(objects, 'hal'), [], 'no upload at release');
  await provider.close();
  assert.is((await rootKeys(objects, 'hal')).length, 1, 'the unload uploads');
});

test.run();
