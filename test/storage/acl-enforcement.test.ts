/**
 * RFC 4314 rights enforced by the store itself: a handle opened for another actor (shared
 * mailboxes) or on a read-only vault mailbox (the owner too) can only do what its rights allow.
 * Without `l` a mailbox answers exactly like a missing one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { MailStoreProvider, UserMailStore } from '../../core/storage/mail-store.ts';
import { msg, testConfig } from './helpers.ts';

const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'OK', (e: { code?: string }) => e.code ?? String(e));

async function setup(): Promise<{ provider: MailStoreProvider; alice: UserMailStore }> {
  const provider = createMailStore({ config: testConfig(), objects: createMemoryStore() });
  const alice = await provider.openUser('alice');
  await alice.createMailbox('Shared');
  await alice.createMailbox('Private');
  await alice.append('Shared', msg('one'), { flags: ['\\Deleted'] });
  await alice.append('Shared', msg('two'));
  return { provider, alice };
}

test('bob with lr: lists and reads, cannot change anything', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'bob', 'lr');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  assert.is(bob.actor, 'bob');
  assert.is(bob.user, 'alice');
  assert.equal((await bob.listMailboxes()).map((m) => m.name), ['Shared']);
  assert.is((await bob.status('Shared')).messages, 2);
  const view = await bob.openMailbox('Shared', { readOnly: false });
  assert.ok(view.readOnly, 'forced read-only without s/w/t/e');
  assert.ok((await view.read(2)).toString().includes('Subject: two'));
  assert.is(await code(view.store([view.uidAt(2)], 'add', ['\\Seen'])), 'NO_PERMISSION');
  assert.is(await code(view.expunge()), 'NO_PERMISSION');
  assert.is(await code(view.move([view.uidAt(1)], 'Shared')), 'NO_PERMISSION');
  assert.is(await code(view.copy([view.uidAt(1)], 'Private')), 'NOT_FOUND');
  assert.is(await code(bob.append('Shared', msg('x'))), 'NO_PERMISSION');
  assert.is(await code(bob.deleteMailbox('Shared')), 'NO_PERMISSION');
  assert.is(await code(bob.renameMailbox('Shared', 'Shared2')), 'NO_PERMISSION');
  assert.is(await code(bob.createMailbox('Shared/sub')), 'NO_PERMISSION');
  assert.is(await code(bob.createMailbox('Top')), 'NO_PERMISSION');
  assert.is(await code(bob.setAcl!('Shared', 'bob', 'lrswipkxtea')), 'NO_PERMISSION');
  assert.is(await code(bob.getAcl!('Shared')), 'NO_PERMISSION');
  assert.is(await bob.myRights!('Shared'), 'lr');
  await view.close();
  // Nothing changed for alice.
  assert.is((await alice.status('Shared')).messages, 2);
  assert.is(await alice.myRights!('Shared'), 'lrswipkxtea');
  await bob.release();
  await alice.release();
  await provider.close();
});

test('rights granted later are enforced per operation: s, w, t, e, i, k, x', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'bob', 'lrs');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  const view = await bob.openMailbox('Shared', { readOnly: false });
  assert.not.ok(view.readOnly);
  assert.is((await view.store([view.uidAt(2)], 'add', ['\\Seen'])).changed.length, 1);
  assert.is(await code(view.store([view.uidAt(2)], 'add', ['$Important'])), 'NO_PERMISSION');
  assert.is(await code(view.store([view.uidAt(2)], 'add', ['\\Deleted'])), 'NO_PERMISSION');
  await alice.setAcl!('Shared', 'bob', 'lrswtei');
  assert.is((await view.store([view.uidAt(2)], 'add', ['$Important'])).changed.length, 1);
  assert.equal(await view.expunge(), [1]);
  // APPEND with i: flags the actor may not set are dropped, the message is saved.
  await alice.setAcl!('Shared', 'bob', 'lri');
  const r = await bob.append('Shared', msg('three'), { flags: ['\\Seen', '\\Flagged'] });
  const v2 = await alice.openMailbox('Shared', { readOnly: true });
  assert.equal(v2.meta(v2.seqOfUid(r.uid)).flags, []);
  await v2.close();
  await alice.setAcl!('Shared', 'bob', 'lrkx');
  await bob.createMailbox('Shared/sub');
  assert.is(await code(bob.deleteMailbox('Shared/sub')), 'NOT_FOUND'); // bob has no l on the new one
  assert.is(await code(bob.renameMailbox('Shared', 'Shared2')), 'NO_PERMISSION'); // top level: owner only
  await alice.setAcl!('Shared/sub', 'bob', 'lx');
  await bob.renameMailbox('Shared/sub', 'Shared/sub2');
  assert.ok((await alice.listMailboxes()).some((m) => m.name === 'Shared/sub2'));
  await view.close();
  await bob.release();
  await alice.release();
  await provider.close();
});

test('without l a mailbox is NOT_FOUND for every operation, as a missing one', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Private', 'bob', 'rswipkxtea'); // everything but l
  const bob = await provider.openUser('alice', { actor: 'bob' });
  for (const name of ['Private', 'Missing']) {
    const ops: Array<Promise<unknown>> = [
      bob.status(name), bob.append(name, msg('x')), bob.openMailbox(name, { readOnly: true }),
      bob.deleteMailbox(name), bob.renameMailbox(name, 'Other'), bob.setSubscribed(name, true),
      bob.getAcl!(name), bob.setAcl!(name, 'bob', 'l'), bob.myRights!(name), bob.getMetadata!(name),
      bob.setMetadata!(name, [{ entry: '/shared/comment', value: Buffer.from('x') }]),
      bob.lockExclusive(name, 'pop3'), bob.createMailbox(name + '/child'),
    ];
    for (const [i, p] of ops.entries()) assert.is(await code(p), 'NOT_FOUND', `${name} op ${i}`);
  }
  assert.equal(await bob.listMailboxes(), []);
  await bob.release();
  await alice.release();
  await provider.close();
});

test('anyone and negative rights', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'anyone', 'lr');
  await alice.setAcl!('Shared', '-carol', 'l');
  await alice.setAcl!('Private', 'anyone', 'lrw');
  await alice.setAcl!('Private', '-dave', 'w');
  const carol = await provider.openUser('alice', { actor: 'carol' });
  const dave = await provider.openUser('alice', { actor: 'dave' });
  assert.equal((await carol.listMailboxes()).map((m) => m.name), ['Private']);
  assert.is(await code(carol.status('Shared')), 'NOT_FOUND');
  assert.equal((await dave.listMailboxes()).map((m) => m.name), ['Private', 'Shared']);
  assert.is(await dave.myRights!('Private'), 'lr');
  const v = await carol.openMailbox('Private', { readOnly: false });
  assert.not.ok(v.readOnly);
  await alice.append('Private', msg('p'));
  v.sync();
  assert.is((await v.store([v.uidAt(1)], 'add', ['$Label'])).changed.length, 1);
  await v.close();
  const dv = await dave.openMailbox('Private', { readOnly: false });
  assert.ok(dv.readOnly);
  await dv.close();
  await carol.release();
  await dave.release();
  await alice.release();
  await provider.close();
});

test('metadata: r reads /shared only, w writes /shared, private and server entries are the owner\'s', async () => {
  const { provider, alice } = await setup();
  await alice.setMetadata!('Shared', [
    { entry: '/shared/comment', value: Buffer.from('s') },
    { entry: '/private/comment', value: Buffer.from('p') },
  ]);
  await alice.setAcl!('Shared', 'bob', 'lr');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  assert.equal([...(await bob.getMetadata!('Shared')).keys()], ['/shared/comment']);
  assert.is(await code(bob.setMetadata!('Shared', [{ entry: '/shared/comment', value: null }])), 'NO_PERMISSION');
  await alice.setAcl!('Shared', 'bob', 'lrw');
  await bob.setMetadata!('Shared', [{ entry: '/shared/comment', value: Buffer.from('b') }]);
  assert.is(await code(bob.setMetadata!('Shared', [{ entry: '/private/comment', value: null }])), 'NO_PERMISSION');
  assert.is(await code(bob.getMetadata!(null)), 'NO_PERMISSION');
  assert.is((await alice.getMetadata!('Shared')).get('/shared/comment')?.toString(), 'b');
  await bob.release();
  await alice.release();
  await provider.close();
});

test('a read-only vault mailbox refuses the owner\'s changes too', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'bob', 'lrswi');
  await alice.setReadOnlyVault!('Shared', true);
  assert.is(await alice.myRights!('Shared'), 'lr');
  assert.ok((await alice.listMailboxes()).some((m) => m.name === 'Shared'));
  assert.is((await alice.status('Shared')).messages, 2);
  const view = await alice.openMailbox('Shared', { readOnly: false });
  assert.ok(view.readOnly);
  assert.ok((await view.read(1)).toString().includes('Subject: one'));
  assert.is(await code(view.store([view.uidAt(1)], 'add', ['\\Seen'])), 'NO_PERMISSION');
  assert.is(await code(view.expunge()), 'NO_PERMISSION');
  assert.is(await code(view.move([view.uidAt(1)], 'INBOX')), 'NO_PERMISSION');
  assert.is((await view.copy([view.uidAt(1)], 'INBOX')).destUids.length, 1); // copying out is reading
  await view.close();
  assert.is(await code(alice.append('Shared', msg('x'))), 'NO_PERMISSION');
  assert.is(await code(alice.deleteMailbox('Shared')), 'NO_PERMISSION');
  assert.is(await code(alice.renameMailbox('Shared', 'Elsewhere')), 'NO_PERMISSION');
  assert.is(await code(alice.createMailbox('Shared/sub')), 'NO_PERMISSION');
  assert.is(await code(alice.setAcl!('Shared', 'bob', null)), 'NO_PERMISSION');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  assert.is(await bob.myRights!('Shared'), 'lr');
  assert.is(await code(bob.append('Shared', msg('x'))), 'NO_PERMISSION');
  assert.is(await code(bob.setReadOnlyVault!('Shared', false)), 'NO_PERMISSION');
  await bob.release();
  // Other mailboxes are untouched; the flag survives a reload of the user.
  await alice.append('INBOX', msg('in'));
  await alice.release();
  const again = await provider.openUser('alice');
  assert.is(await again.myRights!('Shared'), 'lr');
  await again.release();
  await provider.close();
});

test('handles keep the shared per-user state: each release drops only its own reference', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'bob', 'lr');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  await bob.release();
  await bob.release(); // a double release must not drop alice's reference
  await alice.append('Shared', msg('after'));
  assert.is((await alice.status('Shared')).messages, 3);
  await alice.release();
  await provider.close();
});

test('rights revoked while a view is open stop the next operation; COPY needs i on the destination', async () => {
  const { provider, alice } = await setup();
  await alice.setAcl!('Shared', 'bob', 'lrw');
  await alice.setAcl!('Private', 'bob', 'lr');
  const bob = await provider.openUser('alice', { actor: 'bob' });
  const view = await bob.openMailbox('Shared', { readOnly: false });
  assert.is(await code(view.copy([view.uidAt(1)], 'Private')), 'NO_PERMISSION');
  await alice.setAcl!('Private', 'bob', 'lri');
  assert.is((await view.copy([view.uidAt(1)], 'Private')).destUids.length, 1);
  await alice.setAcl!('Shared', 'bob', null);
  assert.is(await code(view.read(1)), 'NOT_FOUND');
  assert.is(await code(view.store([view.uidAt(1)], 'add', ['$x'])), 'NOT_FOUND');
  await view.close();
  await bob.release();
  await alice.release();
  await provider.close();
});

test.run();
