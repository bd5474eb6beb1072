/**
 * System flags as bits (one byte per message in the index), keywords as small ids into a
 * per-mailbox name table.
 */
import { StorageError } from '../storage/errors.ts';

export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
export const FLAG_SEEN = 1;
export const FLAG_ANSWERED = 2;
export const FLAG_FLAGGED = 4;
export const FLAG_DELETED = 8;
export const FLAG_DRAFT = 16;

const BY_LOWER = new Map<string, number>(SYSTEM_FLAGS.map((f, i) => [f.toLowerCase(), 1 << i]));

export interface ParsedFlags {
  bits: number;
  /** Keywords as given (deduplicated case-insensitively, first spelling wins). */
  keywords: string[];
}

/** Split flag strings into system bits and keywords. \Recent is ignored (never stored). */
export function parseFlags(flags: readonly string[]): ParsedFlags {
  let bits = 0;
  const keywords: string[] = [];
  const seen = new Set<string>();
  for (const f of flags) {
    if (typeof f !== 'string' || f.length === 0) throw new StorageError('INVALID', 'empty flag');
    if (f.startsWith('\\')) {
      const lower = f.toLowerCase();
      if (lower === '\\recent') continue;
      const bit = BY_LOWER.get(lower);
      if (bit === undefined) throw new StorageError('INVALID', `unknown system flag ${f}`);
      bits |= bit;
      continue;
    }
    // Atom characters only (RFC 3501 atom-specials and controls are refused).
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x20\x7f-\uffff(){%*"\\\]]/.test(f)) throw new StorageError('INVALID', `invalid keyword ${f}`);
    const lower = f.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    keywords.push(f);
  }
  return { bits, keywords };
}

export function bitsToFlags(bits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < SYSTEM_FLAGS.length; i++) if (bits & (1 << i)) out.push(SYSTEM_FLAGS[i]!);
  return out;
}

/** STORE's three operations on system bits and keyword names (keywords case-insensitive). */
export function applyFlagOperation(bits: number, kw: string[], op: 'add' | 'remove' | 'replace', addBits: number, addKw: string[]): { bits: number; keywords: string[] } {
  if (op === 'replace') return { bits: addBits, keywords: addKw };
  if (op === 'add') {
    const lower = new Set(kw.map((k) => k.toLowerCase()));
    return { bits: bits | addBits, keywords: [...kw, ...addKw.filter((k) => !lower.has(k.toLowerCase()))] };
  }
  const drop = new Set(addKw.map((k) => k.toLowerCase()));
  return { bits: bits & ~addBits, keywords: kw.filter((k) => !drop.has(k.toLowerCase())) };
}

export function sameKeywordSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((k) => k.toLowerCase()));
  return b.every((k) => s.has(k.toLowerCase()));
}
