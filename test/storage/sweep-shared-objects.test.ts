/**
 * COPY shares the message object (same GUID): it is deleted only when no mailbox of the user
 * refers to it any more, and only once every view has synced past the last expunge; a crash in
 * between leaves a purge mark that the next load finishes (never a resurrected message).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createFailingStore } from '../../core/storage/drivers/failing.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { createCountingStore } from '../../core/storage/counting-store.ts';
import { messageKey } from '../../core/storage/keys.ts';
import type { MailboxView, UserMailStore } from '../../core/storage/mail-store.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { msg, tempHome, testConfig } from './helpers.ts';

const exists = async (objects: ObjectStore, user: string, guid: string) => (await objects.head(messageKey(user, guid))) !== null;

/** Purges run after the commit resolves: wait for the object to go (bounded). */
async function gone(objects: ObjectStore, user: string, guid: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!(await exists(objects, user, guid))) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

async function expungeAll(v: MailboxView): Promise<void> {
  v.sync();
  const uids: number[] = [];
  for (let s = 1; s <= v.count(); s++) uids.push(v.uidAt(s));
  await v.store(uids, 'add', ['\\Deleted']);
  await v.expunge();
  v.sync(); // as IMAP EXPUNGE does: report it, and so sync past it
}

async function copiedMessage(s: UserMailStore): Promise<string> {
  await s.createMailbox('Keep');
  const { guid } = await s.append('INBOX', msg('shared'));
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.copy([1], 'Keep');
  await v.close();
  return guid;
}

test('COPY then EXPUNGE in one mailbox: object kept; in both: deleted', async () => {
  const config = testConfig();
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects });
  const s = await provider.openUser('amy');
  const guid = await copiedMessage(s);
  const inbox = await s.openMailbox('INBOX', { readOnly: false });
  await expungeAll(inbox);
  await new Promise((r) => setTimeout(r, 20)); // a wrongful purge would have run by now
  assert.ok(await exists(objects, 'amy', guid), 'still referenced by Keep');
  const keep = await s.openMailbox('Keep', { readOnly: false });
  assert.ok((await keep.read(1)).toString().includes('Subject: shared'));
  await expungeAll(keep);
  assert.ok(await gone(objects, 'amy', guid), 'no mailbox refers to it');
  await inbox.close();
  await keep.close();
  await s.release();
  await provider.close();
});

test('the last expunge waits for another session to sync past it', async () => {
  const config = testConfig();
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects });
  const a = await provider.openUser('ben');
  const b = await provider.openUser('ben');
  const guid = await copiedMessage(a);
  await expungeAll(await a.openMailbox('INBOX', { readOnly: false }));
  const other = await b.openMailbox('Keep', { readOnly: true });
  const mine = await a.openMailbox('Keep', { readOnly: false });
  await expungeAll(mine);
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(await exists(objects, 'ben', guid), 'the other session has not synced: it may still FETCH');
  assert.ok((await other.read(1)).toString().includes('Subject: shared'));
  other.sync();
  assert.ok(await gone(objects, 'ben', guid), 'deleted once every view synced');
  await other.close();
  await mine.close();
  await a.release();
  await b.release();
  await provider.close();
});

test('MOVE and DELETE of a mailbox holding a copy keep the object', async () => {
  const config = testConfig();
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects });
  const s = await provider.openUser('cat');
  const guid = await copiedMessage(s);
  await s.createMailbox('Other');
  const inbox = await s.openMailbox('INBOX', { readOnly: false });
  await inbox.move([1], 'Other');
  await inbox.close();
  await s.deleteMailbox('Other');
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(await exists(objects, 'cat', guid), 'Keep still refers to it');
  await s.deleteMailbox('Keep');
  assert.ok(await gone(objects, 'cat', guid));
  await s.release();
  await provider.close();
});

test('crash after the last expunge, before the delete: the next load deletes it, no resurrection', async () => {
  const config = testConfig({ storage: { snapshotEveryChanges: 100000 } as never });
  const objects = createFsStore(join(config.home, 'storage'));
  const first = createMailStore({ config, objects, lingerMs: 0 });
  const a = await first.openUser('dan');
  const b = await first.openUser('dan');
  const guid = await copiedMessage(a);
  await expungeAll(await a.openMailbox('INBOX', { readOnly: false }));
  const other = await b.openMailbox('Keep', { readOnly: true }); // holds the delete back
  await expungeAll(await a.openMailbox('Keep', { readOnly: false }));
  assert.ok(await exists(objects, 'dan', guid));
  // "kill -9": no sync, no release, no close. A new process on the same disk:
  void other;
  const second = createMailStore({ config, objects, lingerMs: 0 });
  const s = await second.openUser('dan');
  assert.not.ok(await exists(objects, 'dan', guid), 'deleted by the load (purge mark)');
  assert.is((await s.status('INBOX')).messages, 0, 'not recovered into INBOX');
  assert.is((await s.status('Keep')).messages, 0);
  await s.release();
  await second.close();
});

test('the expunge reaches the shared index before the object goes: no dangling reference for another backend', async () => {
  // No timer: only an upload (here the flush at logout) can carry the expunge and free the object.
  const config = testConfig({ storage: { upload: { everyDeliveries: 1000, afterChangeMs: 3_600_000, atLogout: true } } as never });
  const objects = createMemoryStore();
  const a = createMailStore({ config, objects, journal: 'fs', lingerMs: 60_000 });
  const s = await a.openUser('eli');
  const { guid } = await s.append('INBOX', msg('bye'));
  await (s as unknown as { flush(): Promise<void> }).flush(); // the base, with the message in it
  await expungeAll(await s.openMailbox('INBOX', { readOnly: false }));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(await exists(objects, 'eli', guid), 'kept: no upload holds the expunge yet');
  // Backend A "killed" here. B (its own empty metacache, the same objects) loads the shared
  // index, which still lists the message: its object must still be there.
  const b = createMailStore({ config: testConfig({ home: tempHome() }), objects, journal: 'fs', lingerMs: 0 });
  const s2 = await b.openUser('eli');
  const v2 = await s2.openMailbox('INBOX', { readOnly: true });
  assert.is(v2.count(), 1, 'the expunge was not uploaded: B still lists the message');
  assert.ok((await v2.read(1)).length > 0, 'and can read it');
  // A was not killed after all: its logout upload carries the expunge, then the object goes.
  await s.release();
  assert.ok(await gone(objects, 'eli', guid), 'deleted after the upload');
});

test('a deferred delete rides on the upload that holds its mark: no second upload forced for later changes', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 1000, afterChangeMs: 3_600_000, atLogout: true } } as never });
  // Index uploads take 30 ms, so that a change can commit while one runs.
  const objects = createCountingStore(createMemoryStore());
  const slow: ObjectStore = Object.assign(Object.create(objects) as ObjectStore, {
    put: async (key: string, data: Buffer, meta?: Record<string, string>) => {
      if (key.includes('/i/')) await new Promise((r) => setTimeout(r, 30));
      return objects.put(key, data, meta);
    },
  });
  const a = createMailStore({ config, objects: slow, journal: 'fs', lingerMs: 60_000 });
  const s = await a.openUser('fay');
  const { guid } = await s.append('INBOX', msg('bye'));
  const flush = () => (s as unknown as { flush(): Promise<void> }).flush();
  await flush();
  await expungeAll(await s.openMailbox('INBOX', { readOnly: false }));
  const before = objects.counts.get('put', 'index');
  // The upload holding the expunge starts; a delivery commits while it runs.
  const uploading = flush();
  await new Promise((r) => setTimeout(r, 10));
  await s.append('INBOX', msg('later'));
  await uploading;
  assert.ok(await gone(objects, 'fay', guid), 'deleted after that upload');
  await new Promise((r) => setTimeout(r, 50));
  assert.is(objects.counts.get('put', 'index') - before, 1, 'one index upload: the delete forced no other for the later delivery');
  await s.release();
  await a.close();
});

test('the index upload fails: the object is kept (marked) until a later load', async () => {
  const config = testConfig({ storage: { upload: { everyDeliveries: 1000, afterChangeMs: 3_600_000, atLogout: true } } as never });
  const inner = createMemoryStore();
  let failIndex = false;
  const objects = createFailingStore(inner, (op, key) => (failIndex && op === 'put' && key.includes('/i/') ? 'UNAVAILABLE' : null));
  const a = createMailStore({ config, objects, journal: 'fs', lingerMs: 0 });
  const s = await a.openUser('fay');
  const { guid } = await s.append('INBOX', msg('kept'));
  await (s as unknown as { flush(): Promise<void> }).flush();
  failIndex = true;
  await expungeAll(await s.openMailbox('INBOX', { readOnly: false }));
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(await exists(inner, 'fay', guid), 'not deleted while the index lags');
  failIndex = false;
  await s.release();
  await a.close(); // uploads at unload
  const again = createMailStore({ config, objects, journal: 'fs', lingerMs: 0 });
  const s2 = await again.openUser('fay'); // the load finishes the marked purge
  assert.not.ok(await exists(inner, 'fay', guid));
  assert.is((await s2.status('INBOX')).messages, 0);
  await s2.release();
  await again.close();
});

test.run();
