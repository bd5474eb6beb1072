/**
 * NOTIFY (RFC 5465) beyond the transcripts: queue overflow, the SUBSCRIBED and SELECTED-DELAYED
 * filters, and the store's change feed being released when the session ends.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NOTIFY_QUEUE_LIMIT } from '../../protocols/imap/notify.ts';
import { createTestServer } from './harness.ts';

const test = suite('imap/notify');
const MSG = 'Subject: x\r\n\r\nbody\r\n';

test('too many queued changes: NOTIFICATIONOVERFLOW once, then NOTIFY is off', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.login();
  assert.equal(await c.command('a NOTIFY SET (INBOXES (MessageNew MessageExpunge))'), ['a OK NOTIFY completed.']);
  for (let i = 0; i <= NOTIFY_QUEUE_LIMIT; i++) await server.deliver('alice', 'INBOX', MSG);
  assert.equal(await c.command('b NOOP'), [
    '* OK [NOTIFICATIONOVERFLOW] Too many notifications; NOTIFY is now off',
    'b OK NOOP completed.',
  ]);
  await server.deliver('alice', 'INBOX', MSG);
  assert.equal(await c.command('c NOOP'), ['c OK NOOP completed.']);
  await server.close();
});

test('SUBSCRIBED covers subscribed mailboxes only; SUBSCRIBE moves a mailbox in', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.login();
  assert.equal((await c.command('a CREATE Side')).at(-1)?.startsWith('a OK'), true);
  assert.equal(await c.command('b NOTIFY SET (SUBSCRIBED (MessageNew MessageExpunge))'), ['b OK NOTIFY completed.']);
  await server.deliver('alice', 'Side', MSG);
  assert.equal(await c.command('c NOOP'), ['c OK NOOP completed.']);
  assert.equal(await c.command('d SUBSCRIBE Side'), ['d OK Subscribe completed.']);
  await server.deliver('alice', 'Side', MSG);
  assert.equal(await c.command('e NOOP'), ['* STATUS Side (MESSAGES 2 UIDNEXT 3 UNSEEN 2)', 'e OK NOOP completed.']);
  // Sent is subscribed by default.
  await server.deliver('alice', 'Sent', MSG);
  assert.equal(await c.command('f NOOP'), ['* STATUS Sent (MESSAGES 1 UIDNEXT 2 UNSEEN 1)', 'f OK NOOP completed.']);
  await server.close();
});

test('the selected mailbox is never reported by STATUS, whatever filter covers it', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.login();
  await c.command('a SELECT INBOX');
  assert.equal(await c.command('b NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge))'), ['b OK NOTIFY completed.']);
  await server.deliver('alice', 'INBOX', MSG);
  await server.deliver('alice', 'Trash', MSG);
  assert.equal(await c.command('c NOOP'), [
    '* 1 EXISTS',
    '* 1 RECENT',
    '* STATUS Trash (MESSAGES 1 UIDNEXT 2 UNSEEN 1)',
    'c OK NOOP completed.',
  ]);
  await server.close();
});

test('a STATUS during FETCH by sequence number is allowed (no EXPUNGE then)', async () => {
  const server = createTestServer();
  await server.deliver('alice', 'INBOX', MSG);
  const c = server.connect();
  await c.login();
  await c.command('a SELECT INBOX');
  await c.command('b NOTIFY SET (PERSONAL (MessageNew MessageExpunge))');
  await server.deliver('alice', 'Junk', MSG);
  assert.equal(await c.command('c FETCH 1 (UID)'), [
    '* 1 FETCH (UID 1)',
    '* STATUS Junk (MESSAGES 1 UIDNEXT 2 UNSEEN 1)',
    'c OK Fetch completed.',
  ]);
  await server.close();
});

test('IDLE in the authenticated state wakes on notifications', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.login();
  await c.command('a NOTIFY SET (INBOXES (MessageNew MessageExpunge))');
  c.send('b IDLE');
  await c.expect('+ idling');
  await server.deliver('alice', 'INBOX', MSG);
  await c.expect('* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 1)');
  c.send('DONE');
  await c.expect('b OK Idle completed.');
  await server.close();
});

test('NOTIFY NONE stops the reports', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.login();
  await c.command('a NOTIFY SET (PERSONAL (MailboxName))');
  assert.equal((await c.command('b CREATE X')).slice(0, 1), ['* LIST () "/" X']);
  await c.command('c NOTIFY NONE');
  const after = await c.command('d CREATE Y');
  assert.is(after.length, 1);
  assert.match(after[0]!, /^d OK /);
  await server.close();
});

test.run();
