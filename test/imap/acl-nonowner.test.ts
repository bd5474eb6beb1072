/**
 * IMAP commands for a user acting on a mailbox through granted rights (RFC 4314 section 4):
 * FETCH of a body without `s` serves it and leaves \Seen unset; CLOSE without `e` deselects
 * without expunging and succeeds; STORE \Deleted without `t` is refused. Bob's logins are
 * routed to Alice's store with Bob as the actor (how a shared namespace will reach it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MailStoreProvider } from '../../core/storage/mail-store.ts';
import { createTestServer } from './harness.ts';

test('non-owner with lrw: FETCH does not set \\Seen, STORE \\Deleted is refused, CLOSE succeeds', async () => {
  const server = createTestServer();
  const real = server.store;
  const shared: MailStoreProvider = {
    openUser: (user: string) => (user === 'bob' ? real.openUser('alice', { actor: 'bob' }) : real.openUser(user)),
    close: () => real.close(),
  };
  server.ctx.store = shared;
  await server.deliver('alice', 'INBOX', 'From: a@example.org\nSubject: shared\n\nhello\n');
  const owner = await real.openUser('alice');
  await owner.setAcl!('INBOX', 'bob', 'lrw');

  const bob = server.connect();
  const login = await bob.login('bob', 'secret');
  assert.match(login.at(-1)!, /^L1 OK/);
  const select = await bob.command('a SELECT INBOX');
  assert.match(select.at(-1)!, /^a OK \[READ-WRITE\]/);
  const fetch = await bob.command('b FETCH 1 (BODY[TEXT])');
  assert.ok(fetch.some((l) => l.includes('hello')), fetch.join('\n'));
  assert.match(fetch.at(-1)!, /^b OK/);
  assert.not.ok(fetch.some((l) => l.includes('\\Seen')), 'no \\Seen without the s right');
  const store = await bob.command('c STORE 1 +FLAGS (\\Deleted)');
  assert.match(store.at(-1)!, /^c NO /);
  const close = await bob.command('d CLOSE');
  assert.match(close.at(-1)!, /^d OK/);

  const view = await owner.openMailbox('INBOX', { readOnly: true });
  assert.is(view.count(), 1);
  assert.not.ok(view.meta(1).flags.includes('\\Seen'));
  await view.close();
  await owner.release();
  await server.close();
});

test.run();
