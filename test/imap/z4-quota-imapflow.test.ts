/**
 * imapflow's getQuota() over a real socket: it sends GETQUOTAROOT and reads QUOTAROOT/QUOTA
 * (STORAGE in KiB, which it turns back into bytes) and MESSAGE; over quota it sees OVERQUOTA.
 */
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ImapFlow } from 'imapflow';
import { generateSelfSigned } from '../../core/tls.ts';
import { startListeners } from '../../protocols/net/listeners.ts';
import { createImapSession } from '../../protocols/imap/session.ts';
import { createTestServer, crlf } from './harness.ts';

test('imapflow getQuota: storage and message usage and limits; append over the limit fails', async () => {
  const server = createTestServer({
    config: {
      listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null },
      quota: { storageBytes: 10 * 1024, messages: 2 },
    },
  });
  const { certPem, keyPem } = generateSelfSigned('localhost');
  const listeners = await startListeners(server.ctx, { imap: createImapSession }, { secureContext: tls.createSecureContext({ cert: certPem, key: keyPem }) });
  const client = new ImapFlow({ host: '127.0.0.1', port: listeners.ports.imap!, secure: false, doSTARTTLS: false, auth: { user: 'alice', pass: 'secret' }, logger: false });
  try {
    await server.deliver('alice', 'INBOX', crlf('Subject: one\n\n' + 'x'.repeat(1500) + '\n'));
    await client.connect();
    assert.ok(client.capabilities.has('QUOTA'));
    const q = await client.getQuota('INBOX');
    assert.ok(q, 'a quota');
    const quota = q as { storage?: { usage: number; limit: number }; message?: { usage: number; limit: number } };
    // 1.5 KiB stored is reported as 2 started KiB.
    assert.is(quota.storage?.usage, 2 * 1024);
    assert.is(quota.storage?.limit, 10 * 1024);
    assert.is(quota.message?.usage, 1);
    assert.is(quota.message?.limit, 2);
    await client.append('INBOX', crlf('Subject: two\n\nhi\n'));
    let failed = false;
    try {
      await client.append('INBOX', crlf('Subject: three\n\nhi\n'));
    } catch {
      failed = true;
    }
    assert.ok(failed, 'the third message is over the message quota');
  } finally {
    await client.logout().catch(() => undefined);
    await listeners.shutdown(1000);
    await server.close();
  }
});

test.run();
