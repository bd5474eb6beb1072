/** Two POP3 sessions on one maildrop, \Seen after RETR at QUIT, nothing committed on drop. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPop3Session } from '../../protocols/pop3/session.ts';
import { Harness } from './support/harness.ts';
import { realStoreHandle } from './support/stores.ts';

async function setup() {
  const harness = new Harness(null as never);
  const store = realStoreHandle(harness.config);
  harness.store = store.provider;
  harness.auth.users.set('alice', 'secret');
  await store.append('alice', Buffer.from('Subject: a\r\n\r\nbody a\r\n'));
  await store.append('alice', Buffer.from('Subject: b\r\n\r\nbody b\r\n'));
  return { harness, store };
}

async function login(harness: Harness) {
  const c = harness.connect(createPop3Session);
  await c.expect('+OK Columba POP3 ready.');
  c.send('USER alice');
  c.send('PASS secret');
  await c.expect('+OK');
  return c;
}

test('second session gets IN-USE and stays in AUTHORIZATION; works after the first quits', async () => {
  const { harness, store } = await setup();
  const first = await login(harness);
  await first.expect('+OK Logged in.');
  const second = await login(harness);
  await second.expect('-ERR [IN-USE] Mailbox is locked by another POP3 session.');
  second.send('STAT');
  await second.expect('-ERR Not logged in.');
  first.send('QUIT');
  await first.expect('+OK Logging out.');
  await first.expectClosed();
  second.send('USER alice');
  second.send('PASS secret');
  await second.expect('+OK', '+OK Logged in.');
  second.send('STAT');
  await second.expect('+OK 2 44');
  second.send('QUIT');
  await second.expect('+OK Logging out.');
  await second.settle();
  assert.equal(harness.errors(), []);
  await store.close();
});

test('a dropped first session releases the lock', async () => {
  const { harness, store } = await setup();
  const first = await login(harness);
  await first.expect('+OK Logged in.');
  first.drop();
  await first.settle();
  const second = await login(harness);
  await second.expect('+OK Logged in.');
  second.drop();
  await second.settle();
  await store.close();
});

test('RETR sets \\Seen at QUIT only; TOP does not', async () => {
  const { harness, store } = await setup();
  const c = await login(harness);
  await c.expect('+OK Logged in.');
  c.send('RETR 1');
  await c.expect('+OK 22 octets', 'Subject: a', '', 'body a', '.');
  c.send('TOP 2 0');
  await c.expect('+OK', 'Subject: b', '', '.');
  const s = await store.provider.openUser('alice');
  const view = await s.openMailbox('INBOX', { readOnly: true });
  assert.equal(view.meta(1).flags, [], 'no \\Seen before QUIT');
  c.send('QUIT');
  await c.expect('+OK Logging out.');
  await c.expectClosed();
  view.sync();
  assert.equal(view.meta(1).flags, ['\\Seen']);
  assert.equal(view.meta(2).flags, []);
  await view.close();
  await s.release();
  await store.close();
});

test('per-user connection limit refuses the login with SYS/TEMP', async () => {
  const harness = new Harness(null as never, { limits: { connectionsPerUser: 1 } });
  const store = realStoreHandle(harness.config);
  harness.store = store.provider;
  harness.auth.users.set('alice', 'secret');
  assert.ok(harness.context().connections.acquireUser('alice'));
  const c = await login(harness);
  await c.expect('-ERR [SYS/TEMP] Too many connections for this user.');
  c.drop();
  await c.settle();
  await store.close();
});

test('changes by other sessions: new mail stays invisible, an expunged message is handled', async () => {
  const { harness, store } = await setup();
  const c = await login(harness);
  await c.expect('+OK Logged in.');
  await store.append('alice', Buffer.from('Subject: c\r\n\r\nbody c\r\n'));
  const s = await store.provider.openUser('alice');
  const imap = await s.openMailbox('INBOX', { readOnly: false });
  await imap.store([imap.uidAt(2)], 'add', ['\\Deleted']);
  await imap.expunge();
  c.send('STAT');
  await c.expect('+OK 2 44');
  c.send('RETR 2');
  // The stable view may still serve it (object not yet collected) or say it is gone: both are fine.
  const reply = await c.line();
  assert.ok(reply === '-ERR Message was expunged by another session.' || reply === '+OK 22 octets', reply);
  if (reply.startsWith('+OK')) await c.expect('Subject: b', '', 'body b', '.');
  c.send('DELE 1');
  c.send('DELE 2');
  c.send('QUIT');
  await c.expect('+OK Marked to be deleted.', '+OK Marked to be deleted.', '+OK Logging out.');
  await c.expectClosed();
  const status = await s.status('INBOX');
  assert.is(status.messages, 1, 'only the new message is left');
  await imap.close();
  await s.release();
  await c.settle();
  assert.equal(harness.errors(), []);
  await store.close();
});

test.run();
