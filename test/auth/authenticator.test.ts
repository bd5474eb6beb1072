import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../core/config/load.ts';
import { createAuthenticator } from '../../core/auth/authenticator.ts';
import { FailureDelay } from '../../core/auth/failure-delay.ts';
import { addPasswdUser, deletePasswdUser, setPasswdUserPassword, parsePasswd } from '../../core/auth/passwd-file.ts';
import { silentLogger } from '../../core/log/logger.ts';

async function rejects(fn: () => Promise<unknown>, code: string): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.is((err as { code?: string }).code, code);
    return;
  }
  assert.unreachable('expected a rejection');
}

const home = mkdtempSync(join(tmpdir(), 'columba-auth-'));
const config = buildConfig({ home, auth: { failureDelayMs: 100, failureDelayMaxMs: 1000 } });
const passwd = join(home, 'users');

function harness() {
  let clock = 0;
  const slept: number[] = [];
  const auth = createAuthenticator(config, silentLogger(), {
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { auth, slept, advance: (ms: number) => (clock += ms) };
}

test('failure delay doubles per failure up to the ceiling', () => {
  const d = new FailureDelay({ baseMs: 500, maxMs: 15000, now: () => 0 });
  const seen = Array.from({ length: 8 }, () => d.recordFailure('1.2.3.4'));
  assert.equal(seen, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  assert.is(d.recordFailure('5.6.7.8'), 500, 'other IPs are independent');
  d.recordSuccess('1.2.3.4');
  assert.is(d.recordFailure('1.2.3.4'), 500, 'reset after success');
  assert.is(new FailureDelay({ baseMs: 0, maxMs: 100 }).recordFailure('x'), 0);
});

test('failure delay resets after a quiet period', () => {
  let t = 0;
  const d = new FailureDelay({ baseMs: 10, maxMs: 1000, quietMs: 5000, now: () => t });
  d.recordFailure('ip');
  d.recordFailure('ip');
  t += 4999;
  assert.is(d.recordFailure('ip'), 40);
  t += 5001;
  assert.is(d.recordFailure('ip'), 10);
});

test('verify: success, wrong password, unknown user; delays applied to failures only', async () => {
  writeFileSync(passwd, '# users\nalice:{PLAIN}wonder:1000:1000::/home/alice::extra\nbob:{SSHA512}bm90LWEtaGFzaA==\n');
  const { auth, slept } = harness();
  assert.equal(await auth.verify('alice', 'wonder', '10.0.0.1'), { ok: true, user: 'alice' });
  assert.equal(await auth.verify('ALICE', 'wonder', '10.0.0.1'), { ok: true, user: 'alice' });
  assert.equal(slept, []);
  assert.equal(await auth.verify('alice', 'Wonder', '10.0.0.1'), { ok: false });
  assert.equal(await auth.verify('nobody', 'x', '10.0.0.1'), { ok: false });
  assert.equal(await auth.verify('bob', 'x', '10.0.0.1'), { ok: false });
  assert.equal(slept, [100, 200, 400]);
  assert.equal(await auth.verify('alice', 'wonder', '10.0.0.1'), { ok: true, user: 'alice' });
  await auth.verify('alice', 'no', '10.0.0.1');
  assert.equal(slept, [100, 200, 400, 100]);
});

test('lookup for LMTP gives the canonical name', async () => {
  const { auth } = harness();
  assert.is(await auth.lookup('Alice'), 'alice');
  assert.is(await auth.lookup('carol'), null);
});

test('passwd file reload: users added, changed and removed while running', async () => {
  rmSync(passwd, { force: true });
  const { auth } = harness();
  assert.is((await auth.verify('carol', 'c1', '::1')).ok, false);
  await addPasswdUser(passwd, 'carol', '{PLAIN}c1');
  assert.equal(await auth.verify('carol', 'c1', '::1'), { ok: true, user: 'carol' });
  await setPasswdUserPassword(passwd, 'Carol', '{PLAIN}c2');
  assert.is((await auth.verify('carol', 'c1', '::1')).ok, false);
  assert.is((await auth.verify('carol', 'c2', '::1')).ok, true);
  await deletePasswdUser(passwd, 'carol');
  assert.is(await auth.lookup('carol'), null);
  await rejects(() => deletePasswdUser(passwd, 'carol'), 'USER_NOT_FOUND');
  await addPasswdUser(passwd, 'dave', '{PLAIN}d');
  await rejects(() => addPasswdUser(passwd, 'DAVE', '{PLAIN}d'), 'USER_EXISTS');
  await rejects(() => addPasswdUser(passwd, 'bad:name', '{PLAIN}d'), 'BAD_USER_NAME');
});

test('passwd parsing skips malformed lines and keeps extra fields', () => {
  const bad: number[] = [];
  const entries = parsePasswd('a:{PLAIN}x:1:2\n\nnocolon\n#c\nb:{PLAIN}y\n', (n) => bad.push(n));
  assert.equal(entries.map((e) => e.name), ['a', 'b']);
  assert.equal(entries[0]!.extra, ['1', '2']);
  assert.equal(bad, [3]);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
