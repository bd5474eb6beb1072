import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConnectionRegistry, CountingLimiter } from '../../protocols/net/connection-registry.ts';

test('per-user limit: case-insensitive, release frees a slot, double release is harmless', () => {
  const reg = createConnectionRegistry(2);
  const a = reg.acquireUser('alice');
  const b = reg.acquireUser('ALICE');
  assert.ok(a && b);
  assert.is(reg.acquireUser('Alice'), null);
  assert.ok(reg.acquireUser('bob'), 'other users are independent');
  a!();
  a!();
  assert.is(reg.count('alice'), 1);
  assert.ok(reg.acquireUser('alice'));
  assert.is(reg.acquireUser('alice'), null);
});

test('counting limiter forgets keys at zero', () => {
  const l = new CountingLimiter(1);
  const r = l.acquire('1.2.3.4')!;
  assert.is(l.size, 1);
  r();
  assert.is(l.size, 0);
});

test.run();
