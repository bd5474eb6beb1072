/**
 * argon2id verification runs on the password hashing threads, not on libuv's pool: the mail
 * store's file I/O (also on that pool) must not queue behind a burst of 100 ms verifies.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { hashThreadStats, warmHashThreads } from '../../core/auth/hash-threads.ts';
import { hashPassword, verifyPassword } from '../../core/auth/schemes.ts';

test('argon2id: right and wrong passwords, and damaged strings, answered on the hashing threads', async () => {
  await warmHashThreads();
  const stored = await hashPassword('correct horse', 'ARGON2ID');
  const pending = [verifyPassword('correct horse', stored), verifyPassword('wrong horse', stored)];
  assert.ok(hashThreadStats().inFlight + hashThreadStats().waiting >= 1);
  assert.equal(await Promise.all(pending), [true, false]);
  assert.not.ok(await verifyPassword('correct horse', stored.slice(0, -4)));
  assert.not.ok(await verifyPassword('correct horse', `{ARGON2ID}$argon2id$\0${'x'.repeat(10)}`));
  assert.not.ok(await verifyPassword('correct horse', `{ARGON2ID}$argon2id$${'x'.repeat(200)}`));
});

test('file I/O does not wait for a burst of argon2id verifies (more than the libuv pool has threads)', async () => {
  const stored = await hashPassword('burst', 'ARGON2ID');
  let settled = 0;
  const burst = Array.from({ length: 6 }, () => verifyPassword('burst', stored).finally(() => settled++));
  // On libuv's 4-thread pool this read would start only after the first verifies finished.
  await readFile(new URL(import.meta.url));
  assert.is(settled, 0);
  assert.equal(await Promise.all(burst), [true, true, true, true, true, true]);
});

test.run();
