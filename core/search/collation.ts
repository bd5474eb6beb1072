/**
 * i;unicode-casemap (RFC 5051): each character is replaced by its titlecase mapping, then by
 * its canonical decomposition, repeated until stable; strings compare as the octets of the
 * resulting UTF-8 ("titlecased canonicalized UTF-8"). So "a", "A" and "á" all sort as "A".
 *
 * The titlecase mapping is the simple (one character) mapping of UnicodeData: JavaScript has
 * no titlecase, so we take toUpperCase when it yields one code point (the simple mapping in
 * every case but the ones fixed up below) and keep the character when it expands (e.g. "ß"
 * has no simple mapping). Hangul syllables are not decomposed (UnicodeData lists no
 * decomposition for them; NFD would derive one algorithmically).
 *
 * Not core/text/fold.ts for keys: folding lowercases (and applies NFKC), and the order of
 * letters against "_" or "^" (between "Z" and "a") must follow titlecase here.
 */

import { containsFolded } from '../text/fold.ts';

/** Digraphs whose titlecase differs from their uppercase (DŽ/Dž/dž, LJ, NJ, DZ). */
const TITLECASE_DIGRAPHS: Record<number, number> = {
  0x01c4: 0x01c5, 0x01c5: 0x01c5, 0x01c6: 0x01c5,
  0x01c7: 0x01c8, 0x01c8: 0x01c8, 0x01c9: 0x01c8,
  0x01ca: 0x01cb, 0x01cb: 0x01cb, 0x01cc: 0x01cb,
  0x01f1: 0x01f2, 0x01f2: 0x01f2, 0x01f3: 0x01f2,
};

const NON_ASCII = /[^\x00-\x7f]/;

function isHangulSyllable(cp: number): boolean {
  return cp >= 0xac00 && cp <= 0xd7a3;
}

/** Georgian Mkhedruli: uppercase maps to Mtavruli (Unicode 11) but titlecase is itself. */
function isGeorgianMkhedruli(cp: number): boolean {
  return (cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff);
}

function titlecaseChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const digraph = TITLECASE_DIGRAPHS[cp];
  if (digraph !== undefined) return String.fromCodePoint(digraph);
  if (isGeorgianMkhedruli(cp)) return ch;
  const upper = ch.toUpperCase();
  // One code point (possibly a surrogate pair): the simple mapping.
  return upper.length === 1 || (upper.length === 2 && upper.codePointAt(0)! > 0xffff) ? upper : ch;
}

function canonicalizeChar(ch: string, depth: number): string {
  const cp = ch.codePointAt(0)!;
  const title = titlecaseChar(ch);
  const decomposed = isHangulSyllable(cp) ? title : title.normalize('NFD');
  if (decomposed === ch || depth > 3) return decomposed;
  // The decomposition may contain characters with a titlecase mapping of their own.
  let out = '';
  for (const c of decomposed) out += c === ch ? c : canonicalizeChar(c, depth + 1);
  return out;
}

/** Canonical forms of the characters seen so far (a mail corpus uses few distinct ones). */
const charCache = new Map<string, string>();
const CHAR_CACHE_MAX = 20_000;

function canonicalCached(ch: string): string {
  let v = charCache.get(ch);
  if (v === undefined) {
    if (charCache.size >= CHAR_CACHE_MAX) charCache.clear();
    v = canonicalizeChar(ch, 0);
    charCache.set(ch, v);
  }
  return v;
}

/** The titlecased canonicalized form of a string (as a JavaScript string). */
export function casemapString(s: string): string {
  if (!NON_ASCII.test(s)) return s.toUpperCase();
  // ASCII other than a-z maps to itself; only lowercase letters and non-ASCII change.
  return s.replace(/[a-z]|[^\x00-\x7f]/gu, canonicalCached);
}

/** The sort key of a string: the UTF-8 octets of its canonical form. */
export function casemapKey(s: string): Buffer {
  return Buffer.from(casemapString(s), 'utf8');
}

/** Orders two strings with i;unicode-casemap: negative, zero or positive. */
export function compareCasemap(a: string, b: string): number {
  return Buffer.compare(casemapKey(a), casemapKey(b));
}

/** Equality under i;unicode-casemap. */
export function equalCasemap(a: string, b: string): boolean {
  return casemapString(a) === casemapString(b);
}

/**
 * Substring under i;unicode-casemap (an empty needle always matches): what SEARCH uses
 * (I18NLEVEL=1). On all-ASCII text, casemap equality is ASCII case-insensitivity, so that
 * case goes to core/text/fold.ts, whose WASM kernel handles large bodies.
 */
export function containsCasemap(haystack: string, needle: string): boolean {
  if (needle.length === 0) return true;
  if (!NON_ASCII.test(needle) && !NON_ASCII.test(haystack)) return containsFolded(haystack, needle);
  return casemapString(haystack).includes(casemapString(needle));
}
