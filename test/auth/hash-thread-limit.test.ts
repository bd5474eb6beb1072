/** auth.hashThreads bounds how many password hashing threads a burst of logins starts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HASH_DEFAULT_THREADS, hashThreadStats, setHashThreadLimit, sha512CryptHash, sha512CryptVerify } from '../../core/auth/hash-threads.ts';

const burst = async (hash: string, n: number) => Promise.all(Array.from({ length: n }, () => sha512CryptVerify('pw', hash)));

test('one thread when the limit is 1, a second once the limit allows it and tasks wait', async () => {
  setHashThreadLimit(1);
  const hash = await sha512CryptHash('pw', '$6$rounds=5000$limitsalt');
  assert.equal(await burst(hash, 8), Array(8).fill(true));
  assert.is(hashThreadStats().threads, 1);
  setHashThreadLimit(2);
  assert.equal(await burst(hash, 40), Array(40).fill(true));
  assert.is(hashThreadStats().threads, 2);
  setHashThreadLimit(0);
  assert.ok(HASH_DEFAULT_THREADS >= 1 && HASH_DEFAULT_THREADS <= 4);
});

test.run();
