import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../core/config/load.ts';
import { createAuthenticator } from '../../core/auth/authenticator.ts';
import { addPasswdUser, setPasswdUserPassword } from '../../core/auth/passwd-file.ts';
import { hashPassword } from '../../core/auth/schemes.ts';
import { VerifyCache } from '../../core/auth/verify-cache.ts';
import { silentLogger } from '../../core/log/logger.ts';

test('off when the TTL is 0: nothing is remembered', () => {
  const c = new VerifyCache({ ttlMs: 0 });
  c.remember('u', '{PLAIN}x', 'x');
  assert.is(c.size, 0);
  assert.not.ok(c.matches('u', '{PLAIN}x', 'x'));
});

test('matches the same password against the same stored hash until the TTL runs out', () => {
  let t = 0;
  const c = new VerifyCache({ ttlMs: 1000, now: () => t });
  c.remember('Alice', 'H1', 'secret');
  assert.ok(c.matches('alice', 'H1', 'secret'), 'names fold case');
  assert.not.ok(c.matches('alice', 'H1', 'Secret'), 'another password');
  assert.not.ok(c.matches('bob', 'H1', 'secret'), 'another user');
  assert.not.ok(c.matches('alice', 'H2', 'secret'), 'a changed stored hash');
  c.remember('alice', 'H1', 'secret');
  t = 999;
  assert.ok(c.matches('alice', 'H1', 'secret'));
  t = 1000;
  assert.not.ok(c.matches('alice', 'H1', 'secret'), 'expired');
  assert.is(c.size, 0, 'the expired entry is dropped');
});

test('bounded: the oldest entry goes first', () => {
  const c = new VerifyCache({ ttlMs: 1000, maxEntries: 2, now: () => 0 });
  c.remember('a', 'H', 'p');
  c.remember('b', 'H', 'p');
  c.remember('a', 'H', 'p'); // refreshed: b is now the oldest
  c.remember('c', 'H', 'p');
  assert.is(c.size, 2);
  assert.ok(c.matches('a', 'H', 'p'));
  assert.not.ok(c.matches('b', 'H', 'p'));
  assert.ok(c.matches('c', 'H', 'p'));
});

test('authenticator: a cached login skips the scheme; a password change or a wrong password does not', async () => {
  const home = mkdtempSync(join(tmpdir(), 'columba-vcache-'));
  try {
    const config = buildConfig({ home, auth: { failureDelayMs: 0, cacheTtlSeconds: 60 } });
    const passwd = join(home, 'users');
    await addPasswdUser(passwd, 'carol', await hashPassword('first pass', 'SHA512-CRYPT'));
    const auth = createAuthenticator(config, silentLogger(), { sleep: async () => {} });
    assert.equal(await auth.verify('carol', 'first pass', '127.0.0.1'), { ok: true, user: 'carol' });
    assert.is(auth.cache.hits, 0);
    assert.equal(await auth.verify('CAROL', 'first pass', '127.0.0.1'), { ok: true, user: 'carol' });
    assert.is(auth.cache.hits, 1, 'second login served from the cache');
    assert.equal(await auth.verify('carol', 'wrong', '127.0.0.1'), { ok: false });
    assert.is(auth.cache.hits, 1);
    await setPasswdUserPassword(passwd, 'carol', await hashPassword('second pass', 'SHA512-CRYPT'));
    assert.equal(await auth.verify('carol', 'first pass', '127.0.0.1'), { ok: false }, 'old password after a change');
    assert.equal(await auth.verify('carol', 'second pass', '127.0.0.1'), { ok: true, user: 'carol' });
    assert.is(auth.cache.hits, 1);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('authenticator: default config has the cache off', async () => {
  const home = mkdtempSync(join(tmpdir(), 'columba-vcache-'));
  try {
    const config = buildConfig({ home, auth: { failureDelayMs: 0 } });
    await addPasswdUser(join(home, 'users'), 'dave', await hashPassword('pw', 'SSHA512'));
    const auth = createAuthenticator(config, silentLogger(), { sleep: async () => {} });
    for (let i = 0; i < 3; i++) assert.ok((await auth.verify('dave', 'pw', '127.0.0.1')).ok);
    assert.is(auth.cache.enabled, false);
    assert.is(auth.cache.hits, 0);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
