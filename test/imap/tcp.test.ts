/**
 * The session over real sockets (listeners on 127.0.0.1, port 0) driven by a real client,
 * imapflow: LOGIN, LIST, APPEND, FETCH, STORE, SEARCH, MOVE, IDLE wake-up, STARTTLS, LOGOUT.
 */
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ImapFlow } from 'imapflow';
import { generateSelfSigned } from '../../core/tls.ts';
import { startListeners, type Listeners } from '../../protocols/net/listeners.ts';
import { createImapSession } from '../../protocols/imap/session.ts';
import { createTestServer, crlf } from './harness.ts';

const MESSAGE = crlf('From: a@example.org\nTo: b@example.org\nSubject: tcp test\n\nBody text.\n');

async function start(): Promise<{ listeners: Listeners; close: () => Promise<void>; server: ReturnType<typeof createTestServer> }> {
  const server = createTestServer({
    config: { listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null } },
  });
  const { certPem, keyPem } = generateSelfSigned('localhost');
  const secureContext = tls.createSecureContext({ cert: certPem, key: keyPem });
  const listeners = await startListeners(server.ctx, { imap: createImapSession }, { secureContext });
  return {
    listeners,
    server,
    close: async () => {
      await listeners.shutdown(1000);
      await server.close();
    },
  };
}

function client(port: number, starttls: boolean): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    doSTARTTLS: starttls,
    tls: { rejectUnauthorized: false },
    auth: { user: 'alice', pass: 'secret' },
    logger: false,
  });
}

test('imapflow: login, list, append, fetch, store, search, move, logout', async () => {
  const { listeners, close } = await start();
  const c = client(listeners.ports.imap!, false);
  try {
    await c.connect();
    const boxes = await c.list();
    assert.ok(boxes.some((b) => b.path === 'INBOX'));
    assert.ok(boxes.some((b) => b.specialUse === '\\Sent'));
    const appended = await c.append('INBOX', MESSAGE, ['\\Flagged']);
    assert.is(appended && appended.uid, 1);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const msg = await c.fetchOne('1', { envelope: true, source: true, flags: true, uid: true });
      assert.ok(msg);
      assert.is(msg.envelope?.subject, 'tcp test');
      assert.is(msg.source?.toString(), MESSAGE.toString());
      assert.ok(msg.flags?.has('\\Flagged'));
      await c.messageFlagsAdd('1', ['\\Seen']);
      const seen = await c.search({ seen: true });
      assert.equal(seen, [1]);
      const moved = await c.messageMove('1', 'Archive');
      assert.ok(moved);
    } finally {
      lock.release();
    }
    const st = await c.status('Archive', { messages: true });
    assert.is(st && st.messages, 1);
    await c.logout();
  } finally {
    c.close();
    await close();
  }
});

test('imapflow: STARTTLS then login; IDLE wakes up on new mail', async () => {
  const { listeners, close, server } = await start();
  const c = client(listeners.ports.imap!, true);
  try {
    await c.connect();
    assert.ok(c.secureConnection, 'connection upgraded to TLS');
    await c.mailboxOpen('INBOX');
    const exists = new Promise<number>((resolve) => c.on('exists', (e: { count: number }) => resolve(e.count)));
    // idle() resolves only when IDLE ends; the server reports what is pending when IDLE starts,
    // so the delivery may happen before or after the command reaches it.
    const idling = c.idle().catch(() => undefined);
    await server.deliver('alice', 'INBOX', MESSAGE);
    assert.is(await exists, 1);
    void idling;
    await c.logout();
  } finally {
    c.close();
    await close();
  }
});

test.run();
