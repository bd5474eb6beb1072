/**
 * LIST/LSUB matching over the user's mailbox list: reference + pattern with `*` (anything) and
 * `%` (anything but the delimiter), INBOX case-insensitive, parents that exist only because
 * they have children (returned as \Noselect for `%`, RFC 3501 6.3.8), child detection.
 */
import { HIERARCHY_DELIMITER, type MailboxInfo } from '../../core/storage/mail-store.ts';

const D = HIERARCHY_DELIMITER;

export interface ListEntry {
  name: string;
  /** Not in the store's list: only a parent of names that are. */
  implied: boolean;
  info: MailboxInfo | null;
  hasChildren: boolean;
}

/** INBOX is case-insensitive, also as the first level of a pattern. */
export function canonicalInbox(name: string): string {
  if (name.slice(0, 5).toUpperCase() === 'INBOX' && (name.length === 5 || name[5] === D)) {
    return 'INBOX' + name.slice(5);
  }
  return name;
}

export function patternMatcher(reference: string, pattern: string): (name: string) => boolean {
  const full = canonicalInbox(reference + pattern);
  let src = '^';
  for (const ch of full) {
    if (ch === '*') src += '.*';
    else if (ch === '%') src += `[^${escape(D)}]*`;
    else src += escape(ch);
  }
  const re = new RegExp(src + '$', 's');
  return (name) => re.test(name);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function ancestors(name: string): string[] {
  const out: string[] = [];
  let i = name.indexOf(D);
  while (i > 0) {
    out.push(name.slice(0, i));
    i = name.indexOf(D, i + 1);
  }
  return out;
}

/** INBOX first, then by name: stable, predictable output. */
function byName(a: string, b: string): number {
  if (a === 'INBOX') return b === 'INBOX' ? 0 : -1;
  if (b === 'INBOX') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries whose names match any of `matchers`, including implied parents when a pattern uses
 * `%` (a `*` pattern already returns every real mailbox below them).
 */
export function matchEntries(
  boxes: readonly MailboxInfo[],
  matchers: Array<(name: string) => boolean>,
  includeImplied: boolean,
): ListEntry[] {
  const byKey = new Map<string, MailboxInfo>();
  for (const b of boxes) byKey.set(b.name, b);
  const names = new Set<string>(byKey.keys());
  const parents = new Set<string>();
  for (const n of names) for (const a of ancestors(n)) parents.add(a);
  const candidates = new Set<string>(names);
  if (includeImplied) for (const p of parents) candidates.add(p);
  const out: ListEntry[] = [];
  for (const name of [...candidates].sort(byName)) {
    if (!matchers.some((m) => m(name))) continue;
    const info = byKey.get(name) ?? null;
    out.push({ name, implied: info === null, info, hasChildren: parents.has(name) });
  }
  return out;
}
