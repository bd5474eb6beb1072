/**
 * SHA512-CRYPT (`$6$`, glibc crypt(3), Drepper's spec) over the WASM kernel in wasm/sha512.ts.
 * Synchronous and CPU-bound (~5000 SHA-512 blocks per call): call it from a worker thread
 * (hash-threads.ts does), never on the event loop. unixcrypt stays the reference in tests.
 *
 * Setting parsing follows Drepper's spec: the salt runs to the next `$` (at most 16 bytes are
 * used), `rounds=N$` is clamped to [1000, 999999999]. Like libxcrypt (Debian's crypt, so
 * Dovecot's) and unixcrypt, a salt outside the crypt alphabet [./0-9A-Za-z] is refused.
 */
import { timingSafeEqual } from 'node:crypto';
import { kernelInstance, type KernelExports } from '../text/wasm-instance.ts';

/** The sha512 exports of build/kernels.wasm (pointers are byte offsets into memory). */
interface Sha512Exports extends KernelExports {
  sha512Init(): void;
  sha512Update(ptr: number, len: number): void;
  sha512Final(out: number): void;
  sha512Crypt(pw: number, pwLen: number, salt: number, saltLen: number, rounds: number, pScratch: number, out: number): void;
}

export const ROUNDS_DEFAULT = 5000;
export const ROUNDS_MIN = 1000;
export const ROUNDS_MAX = 999_999_999;
export const SALT_MAX_BYTES = 16;

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Digest bytes taken three at a time (high, mid, low) for the crypt base64, per the spec.
const ORDER: readonly (readonly [number, number, number])[] = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

let kernel: { exports: Sha512Exports; base: number; reserve(n: number): void; u8: Uint8Array } | null = null;

/** This thread's kernel instance; throws KernelLoadError when build/kernels.wasm is missing. */
function sha512Kernel() {
  if (!kernel) {
    const inst = kernelInstance();
    if (typeof (inst.exports as Partial<Sha512Exports>).sha512Crypt !== 'function') {
      throw new Error('build/kernels.wasm has no sha512 kernel: run `npm run build`');
    }
    kernel = inst as unknown as NonNullable<typeof kernel>;
  }
  return kernel;
}

/** What a `$6$[rounds=N$]salt[$hash]` setting asks for; null when it is not a `$6$` setting. */
export interface CryptSetting {
  rounds: number;
  /** `rounds=` was given, so it is repeated in the output. */
  roundsCustom: boolean;
  salt: Buffer;
}

export function parseCryptSetting(setting: string): CryptSetting | null {
  if (!setting.startsWith('$6$')) return null;
  let rest = setting.slice(3);
  let rounds = ROUNDS_DEFAULT;
  let roundsCustom = false;
  const m = /^rounds=(\d+)\$/.exec(rest);
  if (m) {
    rounds = Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, Number(m[1])));
    roundsCustom = true;
    rest = rest.slice(m[0].length);
  }
  const end = rest.indexOf('$');
  const saltText = end < 0 ? rest : rest.slice(0, end);
  if (!/^[./0-9A-Za-z]*$/.test(saltText)) return null;
  return { rounds, roundsCustom, salt: Buffer.from(saltText.slice(0, SALT_MAX_BYTES), 'latin1') };
}

/** crypt's base64 of the 64-byte result (86 characters). */
export function encodeCryptDigest(d: Uint8Array): string {
  let out = '';
  const put = (w: number, n: number) => {
    for (let i = 0; i < n; i++, w >>>= 6) out += ITOA64[w & 0x3f];
  };
  for (const [a, b, c] of ORDER) put((d[a]! << 16) | (d[b]! << 8) | d[c]!, 4);
  put(d[63]!, 2);
  return out;
}

/** The raw 64-byte SHA512-CRYPT result for password and salt bytes after `rounds` rounds. */
export function sha512CryptRaw(password: Uint8Array, salt: Uint8Array, rounds: number): Uint8Array {
  const k = sha512Kernel();
  const saltLen = Math.min(salt.length, SALT_MAX_BYTES);
  const pw = k.base;
  const s = pw + password.length;
  const p = s + saltLen;
  const out = p + password.length;
  k.reserve(out + 64 - k.base);
  const mem = k.u8; // after reserve: growing detaches older views
  mem.set(password, pw);
  mem.set(salt.subarray(0, saltLen), s);
  k.exports.sha512Crypt(pw, password.length, s, saltLen, rounds >>> 0, p, out);
  return k.u8.slice(out, out + 64);
}

// The crypt(3) result as bytes (the salt is ASCII; the stored string is compared as UTF-8 so a
// stray non-ASCII byte there can only make it differ).
function cryptBytes(password: string, setting: string): Buffer | null {
  const conf = parseCryptSetting(setting);
  if (!conf) return null;
  const raw = sha512CryptRaw(Buffer.from(password, 'utf8'), conf.salt, conf.rounds);
  const prefix = conf.roundsCustom ? `$6$rounds=${conf.rounds}$` : '$6$';
  return Buffer.from(`${prefix}${conf.salt.toString('latin1')}$${encodeCryptDigest(raw)}`, 'latin1');
}

/** crypt(3) with a `$6$` setting: the full `$6$[rounds=N$]salt$hash`, or null for another setting. */
export function sha512CryptWasm(password: string, setting: string): string | null {
  return cryptBytes(password, setting)?.toString('utf8') ?? null;
}

/** True when `password` hashes to the stored `$6$...` string (compared in constant time). */
export function sha512CryptVerifyWasm(password: string, stored: string): boolean {
  const got = cryptBytes(password, stored);
  if (got === null) return false;
  const want = Buffer.from(stored, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Plain SHA-512 through the kernel (for known-answer tests and the benchmark). */
export function sha512Wasm(data: Uint8Array): Uint8Array {
  const k = sha512Kernel();
  const at = k.base;
  const out = at + ((data.length + 15) & ~15);
  k.reserve(out + 64 - k.base);
  k.u8.set(data, at);
  k.exports.sha512Init();
  k.exports.sha512Update(at, data.length);
  k.exports.sha512Final(out);
  return k.u8.slice(out, out + 64);
}
