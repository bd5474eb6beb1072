/**
 * imapflow over a real socket against the IMAP4rev2 / UTF8=ACCEPT / OBJECTID / PREVIEW
 * features: imapflow sends `ENABLE CONDSTORE UTF8=ACCEPT IMAP4rev2` on its own when advertised,
 * so its session runs IMAP4rev2 with UTF-8 mailbox names, which must round-trip; emailId and
 * threadId come from OBJECTID; mailboxId from SELECT.
 */
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ImapFlow } from 'imapflow';
import { generateSelfSigned } from '../../core/tls.ts';
import { startListeners } from '../../protocols/net/listeners.ts';
import { createImapSession } from '../../protocols/imap/session.ts';
import { createTestServer, crlf } from './harness.ts';

const MESSAGE = crlf('From: a@example.org\nTo: b@example.org\nSubject: ids\n\nPreview   text\nhere.\n');

test('imapflow: UTF-8 mailbox names, EMAILID/THREADID, MAILBOXID', async () => {
  const server = createTestServer({
    config: { listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null } },
  });
  const { certPem, keyPem } = generateSelfSigned('localhost');
  const listeners = await startListeners(server.ctx, { imap: createImapSession }, { secureContext: tls.createSecureContext({ cert: certPem, key: keyPem }) });
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: listeners.ports.imap!,
    secure: false,
    doSTARTTLS: false,
    auth: { user: 'alice', pass: 'secret' },
    logger: false,
  });
  try {
    await c.connect();
    assert.ok(c.capabilities.has('OBJECTID'));
    assert.ok(c.enabled.has('IMAP4REV2') || c.enabled.has('IMAP4rev2'), JSON.stringify([...c.enabled]));
    await c.mailboxCreate('Entwürfe');
    const boxes = await c.list();
    assert.ok(boxes.some((b) => b.path === 'Entwürfe'), JSON.stringify(boxes.map((b) => b.path)));
    await c.append('Entwürfe', MESSAGE);
    const status = await c.status('Entwürfe', { messages: true });
    assert.is(status && status.messages, 1);
    const lock = await c.getMailboxLock('Entwürfe');
    try {
      const mailbox = c.mailbox;
      assert.ok(mailbox && /^[0-9a-f]{32}$/.test(String(mailbox.mailboxId)), JSON.stringify(mailbox && mailbox.mailboxId));
      const msg = await c.fetchOne('1', { uid: true, emailId: true, threadId: true });
      assert.ok(msg);
      assert.match(String(msg.emailId), /^[0-9a-f]{32}$/);
      assert.is(msg.threadId, undefined); // THREADID NIL
    } finally {
      lock.release();
    }
    await c.logout();
  } finally {
    c.close();
    await listeners.shutdown(1000);
    await server.close();
  }
});

test.run();
