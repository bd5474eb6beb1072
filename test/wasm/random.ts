/** Seeded random inputs for kernel agreement tests (seed printed so a failure can be replayed). */

/** mulberry32: small, fast, good enough for test inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);

export function int(r: () => number, max: number): number {
  return Math.floor(r() * max);
}

export function randomBytes(r: () => number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = int(r, 256);
  return out;
}

/** Bytes drawn from a small alphabet, so that matches and edge cases are frequent. */
export function randomFrom(r: () => number, len: number, alphabet: readonly number[]): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = alphabet[int(r, alphabet.length)]!;
  return out;
}

const SAMPLES = ['a', 'B', 'z', 'Z', '@', '[', '`', '{', ' ', 'é', 'É', 'ß', 'Σ', 'ς', 'ﬁ', '€', '😀', 'K', 'İ'];

/** Random text mixing ASCII around the letter edges with multi-byte UTF-8. */
export function randomText(r: () => number, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) {
    s += r() < 0.5 ? SAMPLES[int(r, SAMPLES.length)]! : String.fromCharCode(0x20 + int(r, 95));
  }
  return s;
}

/** Random ASCII text (all 128 code points). */
export function randomAscii(r: () => number, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) s += String.fromCharCode(int(r, 128));
  return s;
}

/** Flips the case of ASCII letters at random. */
export function shuffleCase(r: () => number, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (letter && r() < 0.5) out[i] = c ^ 0x20;
  }
  return out;
}
