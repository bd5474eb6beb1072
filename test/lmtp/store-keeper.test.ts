/**
 * StoreKeeper: an LMTP connection keeps user stores between transactions (so a delivery does
 * not end with the user's last release and its index upload), bounded, timed, and released
 * when the connection ends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import { StoreKeeper } from '../../protocols/lmtp/store-keeper.ts';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { FakeMailStore } from '../pop3/support/fake-store.ts';
import { Harness } from '../pop3/support/harness.ts';

function fakes() {
  const opened: string[] = [];
  const released: string[] = [];
  const open = async (user: string) => {
    opened.push(user);
    return { user, release: async () => void released.push(user) } as unknown as UserMailStore;
  };
  return { opened, released, open };
}

test('a kept store is handed out again without an open', async () => {
  const f = fakes();
  const k = new StoreKeeper(f.open, { max: 4, holdMs: 60_000 });
  const a = await k.acquire('a');
  await k.keep('a', a);
  assert.is(await k.acquire('a'), a);
  assert.equal(f.opened, ['a']);
  assert.equal(f.released, []);
  await k.keep('a', a);
  await k.close();
  assert.equal(f.released, ['a']);
});

test('the oldest goes over the bound; after close keep() releases at once', async () => {
  const f = fakes();
  const k = new StoreKeeper(f.open, { max: 2, holdMs: 60_000 });
  for (const u of ['a', 'b', 'c']) await k.keep(u, await k.acquire(u));
  assert.equal(f.released, ['a']);
  assert.is(k.size, 2);
  await k.close();
  assert.equal(f.released.sort(), ['a', 'b', 'c']);
  await k.keep('d', await k.acquire('d'));
  assert.equal(f.released.includes('d'), true);
  assert.is(k.size, 0);
});

test('a held store is released after holdMs', async () => {
  const f = fakes();
  const k = new StoreKeeper(f.open, { max: 4, holdMs: 5 });
  await k.keep('a', await k.acquire('a'));
  for (let i = 0; i < 50 && f.released.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(f.released, ['a']);
  assert.is(k.size, 0);
});

test('LMTP: two transactions to one user on one connection hold the store until QUIT', async () => {
  const store = new FakeMailStore();
  const harness = new Harness(store);
  harness.auth.users.set('a', 'x');
  const c = harness.connect(createLmtpSession);
  await c.expect('220 mx.test Columba LMTP ready');
  c.send('LHLO t');
  await c.expect('250-mx.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-CHUNKING', '250 SIZE 52428800');
  for (let i = 0; i < 2; i++) {
    c.send('MAIL FROM:<s@x.org>');
    c.send('RCPT TO:<a@x.org>');
    c.send('DATA');
    await c.expect('250 2.1.0 OK', '250 2.1.5 OK', '354 Start mail input; end with <CRLF>.<CRLF>');
    c.send(`Subject: ${i}\r\n\r\nbody\r\n.`);
    await c.expect('250 2.0.0 <a@x.org> Saved');
    await c.settle();
    assert.is(store.users.get('a')!.refs, 1, 'held between transactions');
  }
  assert.is(store.inbox('a').length, 2);
  c.send('QUIT');
  await c.expect('221 2.0.0 Bye');
  await c.expectClosed();
  assert.is(store.users.get('a')!.refs, 0);
  assert.equal(harness.errors(), []);
});

test.run();
