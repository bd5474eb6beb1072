/**
 * Password schemes in Dovecot's prefix notation: `{SCHEME}encoded`.
 *   {ARGON2ID}     libsodium crypto_pwhash_str encoding (`$argon2id$v=19$m=...`), the default
 *   {SHA512-CRYPT} glibc `$6$` crypt (what `openssl passwd -6` and `mkpasswd -m sha-512` make)
 *   {SSHA512}      base64(sha512(password + salt) + salt)
 *   {PLAIN}        the password itself; for tests only
 * Verification compares in constant time; argon2id and SHA512-CRYPT verify on the password
 * hashing threads (hash-threads.ts), never on the event loop or the libuv pool the mail store's
 * file I/O needs. Making an argon2id hash (user add, CLI) still uses libuv's pool.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { argon2idVerify, sha512CryptHash, sha512CryptVerify } from './hash-threads.ts';

export const HASH_SCHEMES = ['ARGON2ID', 'SHA512-CRYPT', 'SSHA512', 'PLAIN'] as const;
export type HashScheme = (typeof HASH_SCHEMES)[number];

/** The slice of sodium-native used here (the package ships no TypeScript types). */
interface Sodium {
  crypto_pwhash_STRBYTES: number;
  crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
  crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
  crypto_pwhash_str_async(out: Buffer, passwd: Buffer, opslimit: number, memlimit: number): Promise<void>;
}
const sodium = createRequire(import.meta.url)('sodium-native') as Sodium;

export function isHashScheme(s: string): s is HashScheme {
  return (HASH_SCHEMES as readonly string[]).includes(s);
}

/** Split `{SCHEME}rest`; without a prefix the scheme is inferred from the encoding, or null. */
export function splitScheme(stored: string): { scheme: string | null; encoded: string } {
  const m = /^\{([A-Za-z0-9._-]+)\}/.exec(stored);
  if (m) return { scheme: m[1]!.toUpperCase(), encoded: stored.slice(m[0].length) };
  if (stored.startsWith('$argon2id$')) return { scheme: 'ARGON2ID', encoded: stored };
  if (stored.startsWith('$6$')) return { scheme: 'SHA512-CRYPT', encoded: stored };
  return { scheme: null, encoded: stored };
}

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  // Hash both sides so that lengths match and the comparison leaks nothing about them.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

async function argon2Hash(password: string): Promise<string> {
  const out = Buffer.alloc(sodium.crypto_pwhash_STRBYTES);
  await sodium.crypto_pwhash_str_async(
    out,
    Buffer.from(password, 'utf8'),
    sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  );
  const end = out.indexOf(0);
  return out.subarray(0, end < 0 ? out.length : end).toString('ascii');
}

async function argon2Verify(password: string, encoded: string): Promise<boolean> {
  // A NUL would end libsodium's C string early (the hashing thread checks the length).
  if (!encoded.startsWith('$argon2') || encoded.includes('\0')) return false;
  try {
    return await argon2idVerify(password, encoded);
  } catch {
    return false;
  }
}

/** SSHA512 with the given salt (exported for known-answer tests). */
export function ssha512(password: string, salt: Buffer): string {
  const digest = createHash('sha512').update(Buffer.from(password, 'utf8')).update(salt).digest();
  return Buffer.concat([digest, salt]).toString('base64');
}

function ssha512Verify(password: string, encoded: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length <= 64) return false;
  const salt = raw.subarray(64);
  const expected = Buffer.from(ssha512(password, salt), 'base64');
  return constantTimeEqual(raw, expected);
}

/** Hash a new password; the result carries its `{SCHEME}` prefix. */
export async function hashPassword(password: string, scheme: HashScheme = 'ARGON2ID'): Promise<string> {
  switch (scheme) {
    case 'ARGON2ID':
      return `{ARGON2ID}${await argon2Hash(password)}`;
    case 'SHA512-CRYPT':
      return `{SHA512-CRYPT}${await sha512CryptHash(password, `$6$${randomBytes(12).toString('base64').replace(/[+=]/g, '.')}`)}`;
    case 'SSHA512':
      return `{SSHA512}${ssha512(password, randomBytes(16))}`;
    case 'PLAIN':
      return `{PLAIN}${password}`;
  }
}

/**
 * Longest password we hash at verification. SHA512-CRYPT's cost grows with the password length,
 * so an unbounded one is a cheap way to burn server CPU.
 */
export const MAX_PASSWORD_BYTES = 1024;

/** Check a password against a stored `{SCHEME}hash`. Unknown schemes never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length === 0 || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return false;
  const { scheme, encoded } = splitScheme(stored);
  switch (scheme) {
    case 'ARGON2ID':
    case 'ARGON2I':
      return argon2Verify(password, encoded);
    case 'SHA512-CRYPT':
      if (!encoded.startsWith('$6$')) return false;
      try {
        return await sha512CryptVerify(password, encoded);
      } catch {
        return false;
      }
    case 'SSHA512':
      return ssha512Verify(password, encoded);
    case 'PLAIN':
    case 'CLEARTEXT':
      return constantTimeEqual(Buffer.from(password, 'utf8'), Buffer.from(encoded, 'utf8'));
    default:
      return false;
  }
}
