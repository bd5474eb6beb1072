/**
 * imapflow with `qresync: true` over a real socket: it enables QRESYNC, hears another
 * session's expunges as VANISHED (with UIDs) and flag changes with MODSEQ, and on reopening
 * with its last UIDVALIDITY/HIGHESTMODSEQ gets exactly the expunged UIDs (VANISHED (EARLIER))
 * and the changed flags. Also: many separate expunges stay exact for a reconnecting client.
 */
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ImapFlow } from 'imapflow';
import { generateSelfSigned } from '../../core/tls.ts';
import { startListeners } from '../../protocols/net/listeners.ts';
import { createImapSession } from '../../protocols/imap/session.ts';
import { createTestServer, crlf } from './harness.ts';

const message = (n: number) => crlf(`From: a@example.org\nTo: b@example.org\nSubject: m${n}\n\nbody ${n}\n`);

async function setup() {
  const server = createTestServer({
    config: { listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null } },
  });
  const { certPem, keyPem } = generateSelfSigned('localhost');
  const listeners = await startListeners(server.ctx, { imap: createImapSession }, { secureContext: tls.createSecureContext({ cert: certPem, key: keyPem }) });
  const client = (qresync: boolean) =>
    new ImapFlow({ host: '127.0.0.1', port: listeners.ports.imap!, secure: false, doSTARTTLS: false, auth: { user: 'alice', pass: 'secret' }, logger: false, qresync });
  const done = async () => {
    await listeners.shutdown(1000);
    await server.close();
  };
  return { server, client, done };
}

test('imapflow qresync: live VANISHED and MODSEQ, then VANISHED (EARLIER) on reopen', async () => {
  const { server, client, done } = await setup();
  for (let i = 1; i <= 6; i++) await server.deliver('alice', 'INBOX', message(i));
  const a = client(true);
  const b = client(false);
  try {
    await a.connect();
    assert.ok(a.capabilities.has('QRESYNC') && a.capabilities.has('CONDSTORE'));
    assert.ok(a.enabled.has('QRESYNC'), JSON.stringify([...a.enabled]));
    const expunged: Array<{ uid?: number; vanished?: boolean; earlier?: boolean }> = [];
    const flags: Array<{ uid?: number; modseq?: bigint; flags: Set<string> }> = [];
    a.on('expunge', (e) => expunged.push(e));
    a.on('flags', (f) => flags.push(f));
    const box = await a.mailboxOpen('INBOX');
    const uidValidity = box.uidValidity;
    const mark = box.highestModseq!;
    assert.ok(mark > 0n);

    await b.connect();
    await b.mailboxOpen('INBOX');
    await b.messageDelete('2,4', { uid: true });
    await b.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
    await a.noop();
    assert.equal(expunged.map((e) => [e.uid, e.vanished, e.earlier]), [[2, true, false], [4, true, false]]);
    assert.is(flags.length, 1);
    assert.is(flags[0]!.uid, 1);
    assert.ok(flags[0]!.flags.has('\\Flagged'));
    assert.ok(typeof flags[0]!.modseq === 'bigint' && flags[0]!.modseq > mark);
    await a.logout();

    // More changes while a is away.
    await b.messageDelete('5', { uid: true });
    await b.messageFlagsAdd('3', ['$Work'], { uid: true });
    const c = client(true);
    const gone: number[] = [];
    const changed: number[] = [];
    c.on('expunge', (e) => e.earlier && gone.push(e.uid!));
    c.on('flags', (f) => changed.push(f.uid!));
    await c.connect();
    const reopened = await c.mailboxOpen('INBOX', { uidValidity, changedSince: mark } as never);
    assert.is(reopened.exists, 3);
    assert.equal(gone.sort((x, y) => x - y), [2, 4, 5]);
    assert.equal(changed.sort((x, y) => x - y), [1, 3]);
    await c.logout();
    await b.logout();
  } finally {
    a.close();
    b.close();
    await done();
  }
});

test('many separate expunges: VANISHED (EARLIER) is still exact', async () => {
  const { server, client, done } = await setup();
  for (let i = 1; i <= 400; i++) await server.deliver('alice', 'INBOX', message(i));
  const b = client(false);
  try {
    await b.connect();
    const box = await b.mailboxOpen('INBOX');
    const uidValidity = box.uidValidity;
    // Expunge 300 messages, one EXPUNGE each, with a checkpoint in the middle.
    let mid = 0n;
    const removed: number[] = [];
    for (let uid = 1; uid <= 300; uid++) {
      if (uid === 151) {
        const st = await b.status('INBOX', { highestModseq: true });
        mid = st ? st.highestModseq! : 0n;
      }
      await b.messageDelete(String(uid), { uid: true });
      removed.push(uid);
    }
    for (const [since, want] of [
      [1n, removed],
      [mid, removed.filter((u) => u >= 151)],
    ] as const) {
      const c = client(true);
      const gone: number[] = [];
      c.on('expunge', (e) => e.earlier && gone.push(e.uid!));
      await c.connect();
      await c.mailboxOpen('INBOX', { uidValidity, changedSince: since } as never);
      // Merged (aged) entries may only ever add UIDs that really were expunged.
      const wanted = new Set(want);
      assert.ok(want.every((u) => gone.includes(u)), `missing UIDs since ${since}`);
      assert.ok(gone.every((u) => removed.includes(u)), 'a UID that was never expunged');
      assert.is(gone.filter((u) => wanted.has(u)).length, want.length);
      await c.logout();
      c.close();
    }
    await b.logout();
  } finally {
    b.close();
    await done();
  }
});

test.run();
