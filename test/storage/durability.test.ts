/** The fs driver with the journal: what survives a restart, a crash, and lost journal records. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore, metacacheDir } from '../../core/storage/mail-store-impl.ts';
import { encodeMessageObject } from '../../core/storage/message-object.ts';
import { messageKey, messagePrefix, newGuid } from '../../core/storage/keys.ts';
import { userMetacacheDir } from '../../core/index/durable-persistence.ts';
import type { Config } from '../../core/config/schema.ts';
import { msg, testConfig } from './helpers.ts';

function open(config: Config) {
  const objects = createFsStore(join(config.home, 'storage'));
  return { objects, provider: createMailStore({ config, objects }) };
}

async function countObjects(objects: ReturnType<typeof createFsStore>, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of objects.list(prefix)) n++;
  return n;
}

test('state survives a clean restart (snapshot) with UIDVALIDITY', async () => {
  const config = testConfig();
  const a = open(config);
  const s = await a.provider.openUser('bob');
  await s.createMailbox('Work/Projects');
  await s.append('Work/Projects', msg('one'), { flags: ['$Label1'] });
  await s.append('INBOX', msg('two'));
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.store([1], 'add', ['\\Seen']);
  await v.close();
  const before = await s.status('Work/Projects');
  await s.release();
  await a.provider.close();

  const b = open(config);
  const s2 = await b.provider.openUser('bob');
  const after = await s2.status('Work/Projects');
  assert.is(after.uidValidity, before.uidValidity);
  assert.is(after.messages, 1);
  assert.is((await s2.status('INBOX')).unseen, 0);
  const w = await s2.openMailbox('Work/Projects', { readOnly: true });
  assert.equal(w.meta(1).flags, ['$Label1']);
  assert.ok((await w.read(1)).toString().includes('Subject: one'));
  await s2.release();
});

test('a crash without snapshot: journal replay; a torn last record is ignored', async () => {
  const config = testConfig({ storage: { snapshotEveryChanges: 100000 } });
  const a = open(config);
  const s = await a.provider.openUser('carol');
  for (let i = 0; i < 5; i++) await s.append('INBOX', msg(`m${i}`));
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.store([2], 'add', ['\\Deleted']);
  await v.expunge();
  const uv = (await s.status('INBOX')).uidValidity;
  // "kill -9": no release, no close. Then a half-written frame at the end of the journal.
  const dir = userMetacacheDir(metacacheDir(config), 'carol');
  const journal = readdirSync(dir).filter((f) => f.startsWith('journal.')).sort().at(-1)!;
  appendFileSync(join(dir, journal), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 0x5b, 0x7b]));

  const b = open(config);
  const s2 = await b.provider.openUser('carol');
  const st = await s2.status('INBOX');
  assert.is(st.messages, 4);
  assert.is(st.uidNext, 6);
  assert.is(st.uidValidity, uv);
  const r = await s2.append('INBOX', msg('after'));
  assert.is(r.uid, 6);
  await s2.release();
  await b.provider.close();

  const c = open(config);
  const s3 = await c.provider.openUser('carol');
  assert.is((await s3.status('INBOX')).messages, 5);
  await s3.release();
});

test('snapshots to the object store, then journal replay on top, after losing the metacache', async () => {
  // Grace 0: a superseded base goes as soon as no head needs it (the default keeps it an hour).
  const config = testConfig({ storage: { snapshotEveryChanges: 3, supersededGraceMs: 0 } });
  const a = open(config);
  const s = await a.provider.openUser('dave');
  for (let i = 0; i < 10; i++) await s.append('INBOX', msg(`m${i}`), { flags: i % 2 ? ['\\Seen'] : [] });
  await s.release();
  await a.provider.close();
  const roots = [];
  for await (const k of a.objects.list('')) if (k.includes('/i/root/')) roots.push(k);
  // Older bases and diffs were cleaned up: one base, at most one diff of it.
  assert.ok(roots.length >= 1 && roots.length <= 2, roots.join());
  if (roots.length === 2) assert.ok(roots[1]!.startsWith(roots[0]! + '-DIFF.'));
  const peek = open(config);
  const ps = await peek.provider.openUser('dave');
  const uv = (await ps.status('INBOX')).uidValidity;
  await ps.release();
  await peek.provider.close();

  rmSync(metacacheDir(config), { recursive: true, force: true });
  const b = open(config);
  const s2 = await b.provider.openUser('dave');
  const st = await s2.status('INBOX');
  assert.is(st.messages, 10);
  assert.is(st.unseen, 5);
  assert.is(st.uidValidity, uv);
  await s2.release();
});

test('delivered objects missing from the index are added exactly once', async () => {
  const config = testConfig();
  const a = open(config);
  const s = await a.provider.openUser('erin');
  await s.append('INBOX', msg('indexed'));
  await s.createMailbox('Lists');
  const lists = (await s.listMailboxes()).find((m) => m.name === 'Lists')!;
  await s.release();
  await a.provider.close();

  // Two objects written as a delivery would, but whose journal records were lost.
  for (const [mb, name] of [[lists.guid, 'Lists'], ['0'.repeat(32), 'Gone/Folder']] as const) {
    const guid = newGuid();
    const raw = msg(`lost in ${name}`);
    const obj = await encodeMessageObject(
      { guid, mailboxGuid: mb, mailboxName: name, internalDate: 1e12, saveDate: Date.now(), flags: ['\\Flagged'], size: raw.length, pop3Uidl: guid },
      raw,
      { compressMinBytes: 1024 },
    );
    await a.objects.put(messageKey('erin', guid), obj.data, obj.meta);
  }
  for (let round = 0; round < 2; round++) {
    const b = open(config);
    const s2 = await b.provider.openUser('erin');
    assert.is((await s2.status('Lists')).messages, 1, `round ${round}`);
    assert.is((await s2.status('Gone/Folder')).messages, 1);
    assert.is((await s2.status('INBOX')).messages, 1);
    const v = await s2.openMailbox('Lists', { readOnly: true });
    assert.equal(v.meta(1).flags, ['\\Flagged']);
    assert.is(v.meta(1).internalDate, 1e12);
    await s2.release();
    await b.provider.close();
  }
  assert.is(await countObjects(a.objects, messagePrefix('erin')), 3);
});

test('a crash between expunge and object deletion never brings the message back', async () => {
  const config = testConfig();
  const a = open(config);
  const s = await a.provider.openUser('hank');
  await s.append('INBOX', msg('keep'));
  await s.append('INBOX', msg('expunged'));
  const v1 = await s.openMailbox('INBOX', { readOnly: false });
  const v2 = await s.openMailbox('INBOX', { readOnly: false }); // never syncs: holds the object
  await v1.store([2], 'add', ['\\Deleted']);
  await v1.expunge();
  assert.is(await countObjects(a.objects, messagePrefix('hank')), 2);
  assert.is(v2.count(), 2);
  // kill -9 here, then a new process
  const b = open(config);
  const s2 = await b.provider.openUser('hank');
  assert.is((await s2.status('INBOX')).messages, 1);
  assert.is(await countObjects(b.objects, messagePrefix('hank')), 1);
  await s2.release();
  await b.provider.close();
});

test('an unreadable mailbox bundle degrades to recovery, not to a locked-out user', async () => {
  const config = testConfig({ storage: { inlineBundleMax: 0 } }); // INBOX in a bundle of its own
  const a = open(config);
  const s = await a.provider.openUser('kate');
  await s.append('INBOX', msg('one'));
  await s.append('INBOX', msg('two'));
  const uv = (await s.status('INBOX')).uidValidity;
  const inboxGuid = (await s.listMailboxes()).find((m) => m.name === 'INBOX')!.guid;
  await s.release();
  await a.provider.close();
  // Lose the metacache and damage INBOX's bundles in the object store.
  rmSync(metacacheDir(config), { recursive: true, force: true });
  const keys: string[] = [];
  for await (const k of a.objects.list('')) if (k.includes(`/i/${inboxGuid}/`)) keys.push(k);
  assert.ok(keys.length > 0);
  for (const k of keys) {
    await a.objects.delete(k);
    await a.objects.put(k, Buffer.from('garbage'));
  }
  const b = open(config);
  const s2 = await b.provider.openUser('kate');
  const st = await s2.status('INBOX');
  assert.is(st.messages, 2);
  assert.ok(st.uidValidity > uv);
  await s2.release();
  await b.provider.close();
});

test('a diff on release carries changes to a backend without our metacache', async () => {
  // atLogout true: an fs root shared by several backends (auto is off for fs).
  const config = testConfig({ storage: { snapshotEveryChanges: 1000, upload: { everyDeliveries: 20, afterChangeMs: 5000, atLogout: true } } as never });
  const a = open(config);
  const s = await a.provider.openUser('gina');
  await s.append('INBOX', msg('one'));
  await s.release(); // first release: base bundle
  const s1 = await a.provider.openUser('gina');
  const v = await s1.openMailbox('INBOX', { readOnly: false });
  await v.store([1], 'add', ['\\Answered', 'later']);
  await v.close();
  await s1.createMailbox('New');
  await s1.release(); // second release: a diff
  await a.provider.close();
  const keys: string[] = [];
  for await (const k of a.objects.list('')) if (k.includes('/i/root/')) keys.push(k);
  assert.ok(keys.some((k) => k.includes('-DIFF.')), keys.join());

  // Another backend: same object store, empty metacache.
  const other = testConfig({ home: config.home, storage: { snapshotEveryChanges: 1000, metacache: config.home + '/other-metacache' } });
  const b = open(other);
  const s2 = await b.provider.openUser('gina');
  const w = await s2.openMailbox('INBOX', { readOnly: true });
  assert.equal(w.meta(1).flags, ['\\Answered', 'later']);
  assert.ok((await s2.listMailboxes()).some((m) => m.name === 'New'));
  await s2.release();
  await b.provider.close();
});

test('storage.fsync optimized: a flag change answered before its fsync is made durable by the next message', async () => {
  for (const fsync of ['optimized', 'always'] as const) {
    const config = testConfig({ storage: { snapshotEveryChanges: 100000, fsync } });
    const a = open(config);
    const s = await a.provider.openUser('dora');
    await s.append('INBOX', msg('one'));
    const v = await s.openMailbox('INBOX', { readOnly: false });
    await v.store([1], 'add', ['\\Flagged', '$Later']);
    await s.append('INBOX', msg('two')); // waits for its fsync, which covers the frame before it
    // "kill -9": no release, no close.
    const b = open(config);
    const s2 = await b.provider.openUser('dora');
    const w = await s2.openMailbox('INBOX', { readOnly: true });
    assert.is(w.count(), 2, fsync);
    assert.equal(w.meta(1).flags, ['\\Flagged', '$Later'], fsync);
    await w.close();
    await s2.release();
    await b.provider.close();
  }
});

test.run();
