/** Mailbox list rules and less common view paths. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { msg, testConfig } from './helpers.ts';

async function user() {
  const provider = createMailStore({ config: testConfig(), objects: createMemoryStore() });
  return provider.openUser('judy');
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStorageError(err, code as never), `expected ${code}, got ${(err as { code?: string }).code}: ${(err as Error).message}`);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('CREATE makes missing parents; re-creating a \\Noselect placeholder makes it selectable', async () => {
  const s = await user();
  await s.createMailbox('p/q/r');
  assert.ok((await s.listMailboxes()).some((m) => m.name === 'p/q' && !m.noSelect));
  await s.deleteMailbox('p/q');
  assert.ok((await s.listMailboxes()).find((m) => m.name === 'p/q')!.noSelect);
  await rejects(s.deleteMailbox('p/q'), 'INVALID');
  await s.createMailbox('p/q');
  const pq = (await s.listMailboxes()).find((m) => m.name === 'p/q')!;
  assert.ok(!pq.noSelect);
  assert.is((await s.status('p/q')).messages, 0);
});

test('deleting the last child drops a \\Noselect parent', async () => {
  const s = await user();
  await s.createMailbox('x/y');
  await s.deleteMailbox('x');
  await s.deleteMailbox('x/y');
  assert.ok(!(await s.listMailboxes()).some((m) => m.name.startsWith('x')));
});

test('INBOX names: any case, children keep the canonical spelling', async () => {
  const s = await user();
  await s.createMailbox('inbox/Sub');
  assert.ok((await s.listMailboxes()).some((m) => m.name === 'INBOX/Sub'));
  await s.append('InBoX', msg('x'));
  assert.is((await s.status('INBOX')).messages, 1);
  await rejects(s.renameMailbox('Drafts', 'inbox'), 'EXISTS');
});

test('RENAME keeps subscriptions, UIDVALIDITY and messages of children', async () => {
  const s = await user();
  await s.createMailbox('a/b');
  await s.setSubscribed('a/b', true);
  await s.append('a/b', msg('m'));
  const uv = (await s.status('a/b')).uidValidity;
  await s.renameMailbox('a', 'z');
  const zb = (await s.listMailboxes()).find((m) => m.name === 'z/b')!;
  assert.ok(zb.subscribed);
  assert.is((await s.status('z/b')).uidValidity, uv);
  assert.is((await s.status('z/b')).messages, 1);
  await rejects(s.status('a/b'), 'NOT_FOUND');
});

test('a re-created mailbox gets a new UIDVALIDITY', async () => {
  const s = await user();
  await s.createMailbox('tmp');
  const first = (await s.status('tmp')).uidValidity;
  await s.deleteMailbox('tmp');
  await s.createMailbox('tmp');
  assert.ok((await s.status('tmp')).uidValidity > first);
});

test('bad input: unknown mailbox, bad flags, closed view', async () => {
  const s = await user();
  await rejects(s.append('Nope', msg('x')), 'NOT_FOUND');
  await rejects(s.append('INBOX', msg('x'), { flags: ['\\Bogus'] }), 'INVALID');
  await rejects(s.append('INBOX', msg('x'), { flags: ['bad word'] }), 'INVALID');
  await rejects(s.openMailbox('Nope', { readOnly: true }), 'NOT_FOUND');
  await s.append('INBOX', msg('x'), { flags: ['\\Recent', '\\seen'] });
  const v = await s.openMailbox('INBOX', { readOnly: false });
  assert.equal(v.meta(1).flags, ['\\Seen']);
  await rejects(v.copy([1], 'Nope'), 'NOT_FOUND');
  await v.close();
  assert.throws(() => v.sync());
});

test('EXAMINE shows unclaimed \\Recent without claiming it', async () => {
  const s = await user();
  await s.append('INBOX', msg('x'));
  const e = await s.openMailbox('INBOX', { readOnly: true });
  assert.is(e.recentCount(), 1);
  assert.ok(e.isRecent(1));
  const w = await s.openMailbox('INBOX', { readOnly: false });
  assert.ok(w.isRecent(1));
  assert.is((await s.status('INBOX')).recent, 0);
});

test('deleting a selected mailbox expunges everything from its views', async () => {
  const s = await user();
  await s.createMailbox('gone');
  await s.append('gone', msg('a'));
  await s.append('gone', msg('b'));
  const v = await s.openMailbox('gone', { readOnly: false });
  let told = false;
  v.onChange(() => (told = true));
  await s.deleteMailbox('gone');
  assert.ok(told);
  assert.equal(v.sync().expunged, [2, 1]);
  assert.is(v.count(), 0);
  await rejects(v.store([1], 'add', ['\\Seen']), 'NOT_FOUND');
});

test('MOVE: destination gets new UIDs in source order, the source view learns at sync', async () => {
  const s = await user();
  for (let i = 0; i < 4; i++) await s.append('INBOX', msg(`m${i}`), { flags: i === 2 ? ['$Important'] : [] });
  const v = await s.openMailbox('INBOX', { readOnly: false });
  const other = await s.openMailbox('INBOX', { readOnly: false });
  const r = await v.move([4, 3, 1], 'Archive');
  assert.equal(r.sourceUids, [1, 3, 4]);
  assert.equal(r.destUids, [1, 2, 3]);
  assert.equal(v.sync().expunged, [4, 3, 1]);
  assert.equal(other.sync().expunged, [4, 3, 1]);
  const a = await s.openMailbox('Archive', { readOnly: true });
  assert.equal(a.meta(2).flags, ['$Important']);
  assert.ok((await a.read(2)).toString().includes('Subject: m2'));
  assert.is(a.meta(2).pop3Uidl, a.meta(2).guid); // the UIDL travels with the message
});

test('STORE replace and remove; keywords are case-insensitive', async () => {
  const s = await user();
  await s.append('INBOX', msg('x'), { flags: ['\\Seen', 'Work'] });
  const v = await s.openMailbox('INBOX', { readOnly: false });
  assert.equal((await v.store([1], 'add', ['work'])).changed, []);
  await v.store([1], 'remove', ['WORK']);
  assert.equal(v.meta(1).flags, ['\\Seen']);
  await v.store([1], 'replace', ['\\Answered', 'Later']);
  assert.equal(v.meta(1).flags, ['\\Answered', 'Later']);
  assert.equal((await v.store([99], 'add', ['\\Seen'])).changed, []);
});

test('usage counts every mailbox, copies included', async () => {
  const s = await user();
  const a = await s.append('INBOX', msg('x'));
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.copy([a.uid], 'Archive');
  const u = await s.usage();
  assert.is(u.messages, 2);
  assert.is(u.bytes, 2 * msg('x').length);
});

test.run();
