/**
 * Random input never makes a POP3 or LMTP session throw, log an unexpected error, write after
 * close or leak a store reference. Seeded, so a failure reproduces.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { createPop3Session } from '../../protocols/pop3/session.ts';
import type { SessionFactory } from '../../protocols/net/types.ts';
import { Harness } from './support/harness.ts';
import { realStoreHandle } from './support/stores.ts';

const WORDS = [
  'USER alice', 'PASS secret', 'AUTH PLAIN', 'AUTH PLAIN AGFsaWNlAHNlY3JldA==', '*', 'STAT', 'LIST', 'LIST 1', 'RETR 1',
  'TOP 1 2', 'DELE 1', 'RSET', 'UIDL', 'NOOP', 'CAPA', 'STLS', 'AUTH LOGIN',
  'LHLO x', 'MAIL FROM:<a@b.c>', 'MAIL FROM:<>', 'RCPT TO:<alice@x.org>', 'RCPT TO:<nobody@x.org>', 'DATA',
  '.', 'BDAT 3', 'BDAT 2 LAST', 'RSET', 'VRFY a', 'Subject: x', '', '..', 'BDAT x',
];

function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function randomInput(rand: () => number): Buffer {
  const parts: Buffer[] = [];
  const n = 5 + Math.floor(rand() * 40);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) parts.push(Buffer.from(WORDS[Math.floor(rand() * WORDS.length)]! + (rand() < 0.9 ? '\r\n' : '\n')));
    else if (r < 0.9) parts.push(Buffer.from(Array.from({ length: Math.floor(rand() * 30) }, () => Math.floor(rand() * 256))));
    else parts.push(Buffer.alloc(Math.floor(rand() * 3000), 0x41));
  }
  return Buffer.concat(parts);
}

async function fuzz(factory: SessionFactory, seed: number): Promise<void> {
  const harness = new Harness(null as never, { limits: { pop3LineLength: 512, lmtpLineLength: 512 } });
  const store = realStoreHandle(harness.config);
  harness.store = store.provider;
  harness.auth.users.set('alice', 'secret');
  await store.append('alice', Buffer.from('Subject: a\r\n\r\n.body\r\n'));
  const rand = rng(seed);
  const c = harness.connect(factory, (t) => (t.loopback = rand() < 0.5));
  const input = randomInput(rand);
  for (let pos = 0; pos < input.length; ) {
    const n = 1 + Math.floor(rand() * 64);
    c.sendRaw(input.subarray(pos, pos + n));
    pos += n;
    if (rand() < 0.2) await new Promise((r) => setImmediate(r));
  }
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  if (!c.transport.closed) c.drop();
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(harness.errors(), [], `seed ${seed}`);
  assert.equal(c.transport.violations, [], `seed ${seed}`);
  await store.close();
}

test('POP3 survives random input', async () => {
  for (let seed = 1; seed <= 150; seed++) await fuzz(createPop3Session, seed);
});

test('LMTP survives random input', async () => {
  for (let seed = 1; seed <= 150; seed++) await fuzz(createLmtpSession, seed);
});

test.run();
