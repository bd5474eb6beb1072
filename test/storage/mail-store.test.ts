import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { msg, testConfig } from './helpers.ts';

async function setup(config = testConfig()) {
  const objects = createMemoryStore();
  const provider = createMailStore({ config, objects });
  const store = await provider.openUser('alice');
  return { objects, provider, store };
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStorageError(err, code as never), `expected ${code}, got ${String((err as Error).message)} ${(err as { code?: string }).code}`);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('new user gets INBOX and special-use mailboxes', async () => {
  const { store } = await setup();
  const list = await store.listMailboxes();
  assert.equal(list.map((m) => m.name), ['INBOX', 'Archive', 'Drafts', 'Junk', 'Sent', 'Trash']);
  assert.is(list.find((m) => m.name === 'Sent')!.specialUse, '\\Sent');
  assert.ok(list.every((m) => m.subscribed));
});

test('append, read back with CRLF, status', async () => {
  const { store } = await setup();
  const r = await store.append('inbox', Buffer.from('Subject: x\n\nbody\n'), { flags: ['\\Seen', 'work'] });
  assert.is(r.uid, 1);
  const st = await store.status('INBOX');
  assert.is(st.messages, 1);
  assert.is(st.unseen, 0);
  assert.is(st.uidNext, 2);
  assert.is(st.recent, 1);
  const v = await store.openMailbox('INBOX', { readOnly: false });
  assert.is(v.count(), 1);
  assert.is((await v.read(1)).toString(), 'Subject: x\r\n\r\nbody\r\n');
  assert.is(v.meta(1).size, 'Subject: x\r\n\r\nbody\r\n'.length);
  assert.equal(v.meta(1).flags, ['\\Seen', 'work']);
  assert.ok(v.isRecent(1));
  assert.is((await store.status('INBOX')).recent, 0);
});

test('expunge is seen by the other view only at sync', async () => {
  const { store } = await setup();
  for (let i = 0; i < 3; i++) await store.append('INBOX', msg(`m${i}`));
  const a = await store.openMailbox('INBOX', { readOnly: false });
  const b = await store.openMailbox('INBOX', { readOnly: false });
  let notified = 0;
  b.onChange(() => notified++);
  await a.store([1, 3], 'add', ['\\Deleted']);
  assert.equal(await a.expunge(), [1, 3]);
  assert.ok(notified > 0);
  assert.is(b.count(), 3);
  assert.is(b.meta(1).uid, 1); // still answerable before sync
  const ub = b.sync();
  assert.equal(ub.expunged, [3, 1]);
  assert.equal(ub.flagsChanged, []); // flags of expunged messages are not reported
  assert.is(b.count(), 1);
  assert.is(b.uidAt(1), 2);
  const ua = a.sync();
  assert.equal(ua.expunged, [3, 1]);
});

test('flag changes by another view are reported; own are not', async () => {
  const { store } = await setup();
  await store.append('INBOX', msg('a'));
  await store.append('INBOX', msg('b'));
  const a = await store.openMailbox('INBOX', { readOnly: false });
  const b = await store.openMailbox('INBOX', { readOnly: false });
  const r = await a.store([2], 'add', ['\\Flagged', 'todo']);
  assert.equal(r.changed, [2]);
  assert.equal(a.sync().flagsChanged, []);
  assert.equal(b.sync().flagsChanged, [2]);
  assert.equal(b.meta(2).flags, ['\\Flagged', 'todo']);
  const again = await a.store([2], 'add', ['\\Flagged']);
  assert.equal(again.changed, []);
});

test('recent belongs to the first view that sees a message', async () => {
  const { store } = await setup();
  await store.append('INBOX', msg('a'));
  const a = await store.openMailbox('INBOX', { readOnly: false });
  const b = await store.openMailbox('INBOX', { readOnly: false });
  assert.is(a.recentCount(), 1);
  assert.is(b.recentCount(), 0);
  await store.append('INBOX', msg('b'));
  const ub = b.sync();
  assert.is(ub.exists, 2);
  assert.is(ub.recent, 1);
  assert.ok(b.isRecent(2));
  const ua = a.sync();
  assert.is(ua.exists, 2);
  assert.ok(!a.isRecent(2));
  assert.is(a.recentCount(), 1);
});

test('recent stays right through many claims by two views, with expunges between', async () => {
  const { store } = await setup();
  const a = await store.openMailbox('INBOX', { readOnly: false });
  const b = await store.openMailbox('INBOX', { readOnly: false });
  const owner = new Map<number, 'a' | 'b'>(); // UID → the view that claimed it
  for (let i = 0; i < 60; i++) {
    const { uid } = await store.append('INBOX', msg(`m${i}`));
    // Mostly runs of claims by one view (they merge), sometimes the other view first.
    const first = i % 7 === 3 ? b : a;
    first.sync();
    owner.set(uid, first === a ? 'a' : 'b');
    (first === a ? b : a).sync();
    if (i % 10 === 9) {
      const gone = a.uidAt(a.count() - 3);
      await a.store([gone], 'add', ['\\Deleted']);
      assert.equal(await a.expunge(), [gone]);
      owner.delete(gone);
      a.sync();
      b.sync();
    }
  }
  for (const [name, v] of [['a', a], ['b', b]] as const) {
    const mine = [...owner].filter(([, o]) => o === name).map(([uid]) => uid);
    assert.is(v.recentCount(), mine.length, name);
    for (let seq = 1; seq <= v.count(); seq++) assert.is(v.isRecent(seq), owner.get(v.uidAt(seq)) === name, `${name} ${seq}`);
  }
  const ro = await store.openMailbox('INBOX', { readOnly: true });
  assert.is(ro.recentCount(), 0); // every message was claimed
});

test('STORE UNCHANGEDSINCE refuses messages modified later', async () => {
  const { store } = await setup();
  await store.append('INBOX', msg('a'));
  await store.append('INBOX', msg('b'));
  const v = await store.openMailbox('INBOX', { readOnly: false });
  const before = v.highestModseq();
  await v.store([1], 'add', ['\\Seen']);
  const m1 = v.meta(1).modseq;
  assert.ok(m1 > before);
  const r = await v.store([1, 2], 'add', ['\\Answered'], before);
  assert.equal(r.failedUnchangedSince, [1]);
  assert.equal(r.changed, [2]);
  assert.ok(v.highestModseq() > m1);
});

test('quota and message size limits', async () => {
  const { store } = await setup(testConfig({ quota: { messages: 2 }, limits: { messageSize: 100 } }));
  await rejects(store.append('INBOX', Buffer.alloc(200, 'x')), 'TOO_BIG');
  await store.append('INBOX', msg('a'));
  await store.append('INBOX', msg('b'));
  await rejects(store.append('INBOX', msg('c')), 'OVER_QUOTA');
  assert.equal((await store.usage()).messages, 2);
  const v = await store.openMailbox('INBOX', { readOnly: false });
  await rejects(v.copy([1], 'Trash'), 'OVER_QUOTA');
});

test('copy shares the object; the object goes when the last reference goes', async () => {
  const { store, objects } = await setup();
  await store.append('INBOX', msg('a'));
  const v = await store.openMailbox('INBOX', { readOnly: false });
  const c = await v.copy([1], 'Archive');
  assert.equal(c.sourceUids, [1]);
  assert.equal(c.destUids, [1]);
  const count = async () => { let n = 0; for await (const _ of objects.list('')) n++; return n; };
  assert.is(await count(), 1);
  await v.store([1], 'add', ['\\Deleted']);
  await v.expunge();
  assert.is(await count(), 1);
  const arch = await store.openMailbox('Archive', { readOnly: false });
  const m = await arch.move([1], 'Trash');
  assert.equal(m.destUids, [1]);
  assert.is(arch.sync().expunged.length, 1);
  await store.deleteMailbox('Trash');
  assert.is(await count(), 0);
});

test('mailbox names: invalid, INBOX case, rename hierarchy, delete with children', async () => {
  const { store } = await setup();
  for (const bad of ['', '/a', 'a/', 'a//b', 'a\x01b']) await rejects(store.createMailbox(bad), 'INVALID');
  await rejects(store.createMailbox('inbox'), 'EXISTS');
  await store.createMailbox('a/b/c');
  await store.renameMailbox('a', 'x');
  const names = (await store.listMailboxes()).map((m) => m.name);
  assert.ok(names.includes('x/b/c') && !names.includes('a'));
  await store.deleteMailbox('x/b');
  const xb = (await store.listMailboxes()).find((m) => m.name === 'x/b')!;
  assert.ok(xb.noSelect);
  await rejects(store.status('x/b'), 'NOT_FOUND');
  await rejects(store.deleteMailbox('INBOX'), 'NO_PERMISSION');
  await rejects(store.renameMailbox('x', 'x/y'), 'INVALID');
  await rejects(store.renameMailbox('nope', 'z'), 'NOT_FOUND');
  await rejects(store.renameMailbox('x', 'Sent'), 'EXISTS');
});

test('RENAME INBOX moves its messages and leaves INBOX empty', async () => {
  const { store } = await setup();
  await store.append('INBOX', msg('a'));
  const uv = (await store.status('INBOX')).uidValidity;
  await store.renameMailbox('INBOX', 'Old');
  assert.is((await store.status('Old')).messages, 1);
  assert.is((await store.status('Old')).uidValidity, uv);
  const inbox = await store.status('INBOX');
  assert.is(inbox.messages, 0);
  assert.ok(inbox.uidValidity > uv);
});

test('read-only view refuses changes; lockExclusive is exclusive', async () => {
  const { store } = await setup();
  await store.append('INBOX', msg('a'));
  const v = await store.openMailbox('INBOX', { readOnly: true });
  await rejects(v.store([1], 'add', ['\\Seen']), 'NO_PERMISSION');
  const unlock = await store.lockExclusive('INBOX', 'pop3-1');
  await rejects(store.lockExclusive('inbox', 'pop3-2'), 'IN_USE');
  unlock();
  (await store.lockExclusive('INBOX', 'pop3-2'))();
});

test('an unsynced view can still read an expunged message; the object goes after it syncs', async () => {
  const { store, objects } = await setup();
  await store.append('INBOX', msg('doomed'));
  const a = await store.openMailbox('INBOX', { readOnly: false });
  const b = await store.openMailbox('INBOX', { readOnly: false });
  await a.store([1], 'add', ['\\Deleted']);
  await a.expunge();
  a.sync();
  assert.ok((await b.read(1)).toString().includes('doomed'));
  const count = async () => { let n = 0; for await (const _ of objects.list('')) n++; return n; };
  assert.is(await count(), 1);
  assert.equal(b.sync().expunged, [1]);
  await new Promise((r) => setTimeout(r, 10));
  assert.is(await count(), 0);
});

test('state survives release and reopen on the memory driver', async () => {
  const { store, provider } = await setup();
  await store.append('INBOX', msg('a'));
  await store.release();
  const again = await provider.openUser('alice');
  assert.is((await again.status('INBOX')).messages, 1);
  await again.release();
  await provider.close();
});

test.run();
