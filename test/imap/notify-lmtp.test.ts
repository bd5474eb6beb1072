/**
 * NOTIFY across protocols: an LMTP delivery to INBOX reaches an IMAP session that has another
 * mailbox selected and is IDLE, as `* STATUS INBOX (...)` (RFC 5465 5.2).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { Harness } from '../pop3/support/harness.ts';
import { createTestServer } from './harness.ts';

test('LMTP delivery to INBOX while Drafts is selected: STATUS during IDLE', async () => {
  const server = createTestServer();
  const imap = server.connect();
  await imap.login();
  await imap.command('a SELECT Drafts');
  assert.equal(await imap.command('b NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (INBOXES (MessageNew MessageExpunge))'), ['b OK NOTIFY completed.']);
  imap.send('c IDLE');
  await imap.expect('+ idling');

  const lmtp = new Harness(server.store);
  lmtp.auth.users.set('alice', 'x');
  const c = lmtp.connect(createLmtpSession);
  c.send('LHLO t\r\nMAIL FROM:<s@x.org>\r\nRCPT TO:<alice@x.org>\r\nDATA');
  await c.expect('220 mx.test Columba LMTP ready', '250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800', '250 2.1.0 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send('Subject: hi\r\n\r\nbody\r\n.');
  await c.expect('250 2.0.0 <alice@x.org> Saved');

  await imap.expect('* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 1)');
  imap.send('DONE');
  await imap.expect('c OK Idle completed.');
  // Nothing about Drafts (selected, unchanged) and nothing left over.
  assert.equal(await imap.command('d NOOP'), ['d OK NOOP completed.']);
  c.send('QUIT');
  await c.expect('221 2.0.0 Bye');
  await server.close();
});

test.run();
