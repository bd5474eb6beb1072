/**
 * Requests per login on object storage (issue 5): exact counts at the driver (counting-store) for
 * a cold login (empty metacache) of a fresh user, of a user with mail in INBOX only, with a diff and
 * with METADATA, and for a warm login (metacache kept). Target: one LIST, the root bundle, the
 * bundles of mailboxes too big to sit inline in it, the diff; nothing else.
 * A "login" here is what an IMAP login and SELECT INBOX do to the store: openUser, myRights (the
 * vault attribute: a METADATA look-up), openMailbox.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createCountingStore, type RequestCounts } from '../../core/storage/counting-store.ts';
import { createMailStore, metacacheDir } from '../../core/storage/mail-store-impl.ts';
import { indexPrefix } from '../../core/storage/keys.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import type { Config } from '../../core/config/schema.ts';
import { msg, testConfig } from './helpers.ts';

/** One backend process on the shared bucket: its own counters, the fs journal and metacache of `config`. */
async function session(objects: ObjectStore, config: Config, work: (s: UserMailStore) => Promise<void> = async () => {}, user = 'lena') {
  const counting = createCountingStore(objects);
  const provider = createMailStore({ config, objects: counting, journal: 'fs', lingerMs: 0 });
  const s = await provider.openUser(user);
  await s.myRights!('INBOX');
  const v = await s.openMailbox('INBOX', { readOnly: true });
  const login = snapshotCounts(counting.counts);
  await work(s);
  await v.close();
  await s.release();
  await provider.close();
  return login;
}

/** `op:kind` → count, only non-zero entries, sorted: a literal to compare with. */
function snapshotCounts(c: RequestCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of c.entries().sort((a, b) => `${a.op}:${a.kind}`.localeCompare(`${b.op}:${b.kind}`))) {
    if (e.count > 0) out[`${e.op}:${e.kind}`] = e.count;
  }
  return out;
}

const coldStart = (config: Config) => rmSync(metacacheDir(config), { recursive: true, force: true });

async function keysUnder(objects: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of objects.list(prefix)) out.push(k);
  return out;
}

test('cold login of a fresh user: one LIST and nothing else', async () => {
  const objects = createMemoryStore();
  const config = testConfig();
  assert.equal(await session(objects, config), { 'list:user': 1 });
});

test('cold login of a user with only empty mailboxes: one LIST and the root bundle (mailboxes inline)', async () => {
  const objects = createMemoryStore();
  const config = testConfig();
  await session(objects, config);
  coldStart(config);
  assert.equal(await session(objects, config), { 'get:index': 1, 'list:user': 1 });
  // No mailbox bundle objects at all: the six default mailboxes sit inside the root bundle.
  const index = (await keysUnder(objects, '')).filter((k) => k.includes('/i/') && !k.includes('/i/root/'));
  assert.equal(index, []);
});

test('cold login of a user with mail in INBOX only: LIST, root, INBOX bundle; then the diff too', async () => {
  const objects = createMemoryStore();
  // No diff during the deliveries: the logout writes a base with INBOX in a bundle of its own.
  const config = testConfig({ storage: { upload: { everyDeliveries: 1000, afterChangeMs: 5000, atLogout: true } } });
  let inboxGuid = '';
  await session(objects, config, async (s) => {
    for (let i = 0; i < 60; i++) await s.append('INBOX', msg(`message ${i}`));
    inboxGuid = (await s.listMailboxes()).find((m) => m.name === 'INBOX')!.guid;
  });
  // INBOX grew past storage.inlineBundleMax: a bundle of its own; the other mailboxes stay inline.
  assert.is((await keysUnder(objects, indexPrefix('lena', inboxGuid))).length, 1);
  coldStart(config);
  assert.equal(await session(objects, config, async (s) => {
    const v = await s.openMailbox('INBOX', { readOnly: false });
    await v.store([1], 'add', ['\\Seen']);
    await v.close();
  }), { 'get:index': 2, 'list:user': 1 });
  coldStart(config);
  // The flag change went up as a diff at logout: root + INBOX bundle + diff.
  assert.equal(await session(objects, config), { 'get:index': 3, 'list:user': 1 });
});

test('warm login (metacache kept, also after a cold load): one LIST only; a newer diff is the one GET', async () => {
  const objects = createMemoryStore();
  const a = testConfig();
  await session(objects, a, async (s) => {
    for (let i = 0; i < 60; i++) await s.append('INBOX', msg(`message ${i}`));
  });
  assert.equal(await session(objects, a), { 'list:user': 1 }, 'restart of the writer');
  const b = testConfig(); // another backend, empty metacache
  assert.equal(await session(objects, b), { 'get:index': 2, 'list:user': 1 }, 'cold on b');
  assert.equal(await session(objects, b), { 'list:user': 1 }, 'b kept what its cold load fetched');
  // a changes a flag (a diff at logout); b's next login fetches that diff alone.
  await session(objects, a, async (s) => {
    const v = await s.openMailbox('INBOX', { readOnly: false });
    await v.store([2], 'add', ['\\Flagged']);
    await v.close();
  });
  assert.equal(await session(objects, b, async (s) => {
    const v = await s.openMailbox('INBOX', { readOnly: true });
    assert.ok(v.meta(2).flags.includes('\\Flagged'), 'the diff was applied');
    await v.close();
  }), { 'get:index': 1, 'list:user': 1 }, 'b after a wrote a diff');
});

test('METADATA objects come from the login listing: no second LIST, one GET per object', async () => {
  const objects = createMemoryStore();
  const config = testConfig();
  await session(objects, config, async (s) => {
    await s.setMetadata!(null, [{ entry: '/private/comment', value: Buffer.from('hi') }]);
  });
  coldStart(config);
  let value = '';
  assert.equal(await session(objects, config, async (s) => {
    value = (await s.getMetadata!(null)).get('/private/comment')?.toString() ?? '';
  }), { 'get:index': 1, 'get:metadata': 1, 'list:user': 1 });
  assert.is(value, 'hi');
});

test('an inline mailbox that grows gets its own bundle at the next snapshot; old roots without inline load', async () => {
  const objects = createMemoryStore();
  const old = testConfig({ storage: { inlineBundleMax: 0 } }); // writes roots as before: a bundle per mailbox
  await session(objects, old, async (s) => {
    await s.append('INBOX', msg('one'));
  });
  const config = testConfig({ storage: { snapshotEveryChanges: 10 } });
  assert.equal(await session(objects, config, async (s) => {
    assert.is((await s.status('INBOX')).messages, 1);
    for (let i = 0; i < 60; i++) await s.append('Archive', msg(`message ${i}`));
  }), { 'get:index': 7, 'list:user': 1 }, 'old layout: root + 6 mailbox bundles');
  coldStart(config);
  // The snapshots moved the small mailboxes inline (changed or not); Archive (grown) has its own bundle.
  assert.equal(await session(objects, config, async (s) => {
    assert.is((await s.status('Archive')).messages, 60);
    assert.is((await s.status('INBOX')).messages, 1);
  }), { 'get:index': 2, 'list:user': 1 });
});

test.run();
