/**
 * Per-recipient replies are written only after that recipient's append resolved, in RCPT
 * order even when later appends finish first; a stalled append holds back its reply.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppendResult, MailStoreProvider, UserMailStore } from '../../core/storage/mail-store.ts';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { FakeMailStore } from '../pop3/support/fake-store.ts';
import { Harness } from '../pop3/support/harness.ts';

/** Appends wait until the test opens the user's gate. */
class GatedStore implements MailStoreProvider {
  readonly inner = new FakeMailStore();
  readonly gates = new Map<string, () => void>();
  readonly waiting = new Map<string, Promise<void>>();
  gate(user: string): void {
    this.waiting.set(user, new Promise<void>((resolve) => this.gates.set(user, resolve)));
  }
  async openUser(user: string): Promise<UserMailStore> {
    const store = await this.inner.openUser(user);
    const waiting = this.waiting;
    return new Proxy(store, {
      get(target, prop) {
        if (prop === 'append') {
          return async (...args: Parameters<UserMailStore['append']>): Promise<AppendResult> => {
            await waiting.get(user);
            return target.append(...args);
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }
  async close(): Promise<void> {}
}

test('replies wait for their own append and keep RCPT order', async () => {
  const store = new GatedStore();
  const harness = new Harness(store);
  for (const u of ['a', 'b', 'c']) harness.auth.users.set(u, 'x');
  store.gate('a');
  store.gate('b');
  const c = harness.connect(createLmtpSession);
  await c.expect('220 mx.test Columba LMTP ready');
  c.send('LHLO t');
  await c.expect('250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800');
  c.send('MAIL FROM:<s@x.org>');
  c.send('RCPT TO:<a@x.org>');
  c.send('RCPT TO:<b@x.org>');
  c.send('RCPT TO:<c@x.org>');
  c.send('DATA');
  await c.expect('250 2.1.0 OK', '250 2.1.5 OK', '250 2.1.5 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send('Subject: gated\r\n\r\nbody\r\n.');
  await c.settle(); // c's append is done, but a's is not: nothing may be written yet
  assert.is(store.inner.inbox('c').length, 1);
  assert.is(store.inner.inbox('a').length, 0);
  store.gates.get('a')!();
  await c.expect('250 2.0.0 <a@x.org> Saved');
  await c.settle(); // b still stalled
  store.gates.get('b')!();
  await c.expect('250 2.0.0 <b@x.org> Saved', '250 2.0.0 <c@x.org> Saved');
  const stored = store.inner.inbox('b')[0]!.raw.toString();
  assert.is(stored, 'Return-Path: <s@x.org>\r\nDelivered-To: b@x.org\r\nSubject: gated\r\n\r\nbody\r\n');
  c.send('QUIT');
  await c.expect('221 2.0.0 Bye');
  await c.expectClosed();
  for (const u of ['a', 'b', 'c']) assert.is(store.inner.users.get(u)!.refs, 0, `store of ${u} released`);
  assert.equal(harness.errors(), []);
});

test('replies of appends that are done together go out in one write; none waits for a later append', async () => {
  const store = new GatedStore();
  const harness = new Harness(store);
  for (const u of ['a', 'b', 'c', 'd']) harness.auth.users.set(u, 'x');
  store.gate('c');
  const c = harness.connect(createLmtpSession);
  const writes: string[] = [];
  const write = c.transport.write.bind(c.transport);
  c.transport.write = (data) => (writes.push(String(data)), write(data));
  c.send('LHLO t\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.org>\r\nRCPT TO:<b@x.org>\r\nRCPT TO:<c@x.org>\r\nRCPT TO:<d@x.org>\r\nDATA');
  await c.expect('220 mx.test Columba LMTP ready', '250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800', '250 2.1.0 OK', '250 2.1.5 OK', '250 2.1.5 OK', '250 2.1.5 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send('x\r\n.');
  await c.expect('250 2.0.0 <a@x.org> Saved', '250 2.0.0 <b@x.org> Saved');
  await c.settle();
  store.gates.get('c')!();
  await c.expect('250 2.0.0 <c@x.org> Saved', '250 2.0.0 <d@x.org> Saved');
  const saved = writes.filter((w) => w.includes('Saved'));
  assert.equal(saved, ['250 2.0.0 <a@x.org> Saved\r\n250 2.0.0 <b@x.org> Saved\r\n', '250 2.0.0 <c@x.org> Saved\r\n250 2.0.0 <d@x.org> Saved\r\n']);
});

test('a connection dropped during delivery releases the stores once the appends settle', async () => {
  const store = new GatedStore();
  const harness = new Harness(store);
  harness.auth.users.set('a', 'x');
  store.gate('a');
  const c = harness.connect(createLmtpSession);
  c.send('LHLO t\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.org>\r\nDATA');
  await c.expect('220 mx.test Columba LMTP ready', '250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800', '250 2.1.0 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send('x\r\n.');
  await c.settle();
  c.drop();
  assert.is(store.inner.users.get('a')!.refs, 1, 'still held by the running append');
  store.gates.get('a')!();
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.is(store.inner.users.get('a')!.refs, 0);
  assert.is(store.inner.inbox('a').length, 1, 'the append that was under way completes');
  assert.is(c.transport.violations.length, 0);
});

test('an idle timeout during delivery waits for the appends and re-arms the timer', async () => {
  const store = new GatedStore();
  const harness = new Harness(store, { limits: { lmtpIdleSeconds: 7 } });
  harness.auth.users.set('a', 'x');
  store.gate('a');
  const c = harness.connect(createLmtpSession);
  c.send('LHLO t\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.org>\r\nDATA');
  await c.expect('220 mx.test Columba LMTP ready', '250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800', '250 2.1.0 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send('x\r\n.');
  await c.settle();
  c.transport.idleSeconds = null;
  c.session.onIdleTimeout();
  await c.settle();
  assert.is(c.transport.closed, false);
  assert.is(c.transport.idleSeconds, 7);
  store.gates.get('a')!();
  await c.expect('250 2.0.0 <a@x.org> Saved');
  await c.settle();
  c.session.onIdleTimeout();
  await c.expect('421 4.4.2 mx.test Idle timeout, closing connection');
  await c.expectClosed();
  await c.settle();
  assert.is(store.inner.users.get('a')!.refs, 0);
});

test.run();
