import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { encrypt as unixcryptEncrypt } from 'unixcrypt';
import {
  encodeCryptDigest,
  parseCryptSetting,
  sha512CryptRaw,
  sha512CryptVerifyWasm,
  sha512CryptWasm,
  sha512Wasm,
} from '../../core/auth/sha512-crypt-wasm.ts';
import { hashThreadStats, sha512CryptHash, sha512CryptVerify, warmHashThreads } from '../../core/auth/hash-threads.ts';

// Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", SHA-512 test vectors (setting, key, result).
const DREPPER_VECTORS: [string, string, string][] = [
  ['$6$saltstring', 'Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
  ['$6$rounds=10000$saltstringsaltstring', 'Hello world!', '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
  ['$6$rounds=5000$toolongsaltstring', 'This is just a test', '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
  ['$6$rounds=1400$anotherlongsaltstring', 'a very much longer text to encrypt.  This one even stretches over morethan one line.', '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1'],
  ['$6$rounds=77777$short', 'we have a short salt string but not a short password', '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0'],
  ['$6$rounds=123456$asaltof16chars..', 'a short string', '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1'],
  ['$6$rounds=10$roundstoolow', 'the minimum number is still observed', '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.'],
];

// Seeded so a failure reproduces (mulberry32).
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PW_CHARS = SALT_CHARS + ' !#%&()*+,-:;<=>?@[]^_{|}~äöüßéñ€漢字🙂';

test('SHA-512 agrees with node:crypto around every block boundary', () => {
  const random = rng(7);
  for (const n of [0, 1, 3, 55, 63, 64, 111, 112, 113, 127, 128, 129, 239, 240, 255, 256, 257, 1000, 70_000]) {
    const data = new Uint8Array(n).map(() => Math.floor(random() * 256));
    const want = createHash('sha512').update(data).digest('hex');
    assert.is(Buffer.from(sha512Wasm(data)).toString('hex'), want, `length ${n}`);
  }
});

test("Drepper's published SHA-512 crypt vectors", () => {
  for (const [setting, key, want] of DREPPER_VECTORS) {
    assert.is(sha512CryptWasm(key, setting), want, setting);
    assert.ok(sha512CryptVerifyWasm(key, want), `verify ${setting}`);
    assert.not.ok(sha512CryptVerifyWasm(key + 'x', want), `wrong key ${setting}`);
  }
});

test('agrees with unixcrypt on random passwords, salts and rounds', () => {
  const random = rng(42);
  const pick = (chars: string, n: number) => Array.from({ length: n }, () => [...chars][Math.floor(random() * [...chars].length)]).join('');
  for (let i = 0; i < 40; i++) {
    // Lengths cross the 64-byte steps of the P sequence and of the B additions.
    const password = pick(PW_CHARS, i === 0 ? 1 : Math.floor(random() * 150) + 1);
    const salt = pick(SALT_CHARS, Math.floor(random() * 20));
    const rounds = i % 4 === 0 ? null : 1000 + Math.floor(random() * 3000);
    const setting = rounds === null ? `$6$${salt}` : `$6$rounds=${rounds}$${salt}`;
    assert.is(sha512CryptWasm(password, setting), unixcryptEncrypt(password, setting), `${JSON.stringify(password)} ${setting}`);
  }
});

test('settings parse as glibc does', () => {
  assert.equal(parseCryptSetting('$6$rounds=2000$abc$rest'), { rounds: 2000, roundsCustom: true, salt: Buffer.from('abc') });
  assert.equal(parseCryptSetting('$6$abc'), { rounds: 5000, roundsCustom: false, salt: Buffer.from('abc') });
  assert.is(parseCryptSetting('$6$rounds=99999999999$x')!.rounds, 999_999_999);
  assert.is(parseCryptSetting('$6$0123456789abcdefXYZ$h')!.salt.toString(), '0123456789abcdef');
  // Not a rounds prefix, and `=` is outside the salt alphabet: refused, as libxcrypt does.
  assert.is(parseCryptSetting('$6$rounds=abc$h'), null);
  assert.equal(parseCryptSetting('$6$$bar$')!.salt, Buffer.alloc(0), 'an empty salt is allowed');
  assert.is(parseCryptSetting('$5$abc'), null);
  assert.is(parseCryptSetting(''), null);
  assert.is(sha512CryptWasm('x', '$1$abc'), null);
  assert.not.ok(sha512CryptVerifyWasm('x', '$1$abc$def'));
  assert.not.ok(sha512CryptVerifyWasm('x', ''));
});

test('a stored hash with rounds below the minimum never verifies (it names rounds it did not use)', () => {
  const [, key, clamped] = DREPPER_VECTORS[6]!;
  assert.not.ok(sha512CryptVerifyWasm(key, clamped.replace('rounds=1000$', 'rounds=10$')));
});

test('a salt outside the crypt alphabet never verifies (libxcrypt answers *0)', () => {
  assert.is(sha512CryptWasm('pw', '$6$rounds=1000$sälz'), null);
  assert.is(sha512CryptWasm('pw', '$6$ab:c'), null);
  assert.not.ok(sha512CryptVerifyWasm('pw', '$6$sälz$OQ0ZsauFFQcjg3cOWwY43oKKwYBGY5h'));
  // PHP's test vector with an empty salt, confirmed against libxcrypt.
  assert.is(sha512CryptWasm('foo', '$6$$bar$'), '$6$$QMXjqd7rHQZPQ1yHsXkQqC1FBzDiVfTHXL.LaeDAeVV.IzMaV9VU4MQ8kPuZa2SOP1A0RPm772EaFYjpEJtdu.');
});

test('crypt base64 of known bytes', () => {
  const d = new Uint8Array(64);
  assert.is(encodeCryptDigest(d), '.'.repeat(86));
  d[63] = 0xff;
  assert.is(encodeCryptDigest(d).slice(-2), 'z1');
});

test('a password longer than the scratch region grows memory and still agrees', () => {
  const password = 'p'.repeat(5000);
  const raw = sha512CryptRaw(Buffer.from(password), Buffer.from('salt'), 1000);
  assert.is(`$6$rounds=1000$salt$${encodeCryptDigest(raw)}`, unixcryptEncrypt(password, '$6$rounds=1000$salt'));
});

test('worker threads run the wasm engine; hash and verify round trip', async () => {
  assert.is(await warmHashThreads(), 'wasm');
  const hash = await sha512CryptHash('pässword', '$6$rounds=1200$someSalt');
  assert.is(hash, unixcryptEncrypt('pässword', '$6$rounds=1200$someSalt'));
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) => sha512CryptVerify(i % 3 === 0 ? 'pässword' : `wrong${i}`, hash)),
  );
  assert.equal(results, results.map((_, i) => i % 3 === 0));
  assert.is(hashThreadStats().inFlight, 0);
  assert.ok(hashThreadStats().engines.every((e) => e === 'wasm' || e === null));
});

test.run();
