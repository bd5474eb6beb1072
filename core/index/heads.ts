/**
 * Index heads: which keys under a user's i/root/ are current. Two backends that wrote the same
 * user (failover after a crash, split brain) each leave a line of root bundles and diffs; the
 * heads are the keys no other key supersedes, and every head must be merged into the index.
 *
 * Supersession:
 * - a diff `<base>-DIFF.TS.RAND[.WRITER]` supersedes its base and the earlier diffs of the same
 *   base by the same writer (diffs without a writer tag are legacy: one shared "writer", so the
 *   newest legacy diff of a base wins, as before heads existed);
 * - a root bundle supersedes the keys in its `parents` (read from its content);
 * - a legacy root bundle (no `parents` field) supersedes every key sorting below it: newest wins.
 * Key names alone settle diffs; roots must be read, and they are read anyway to load a head, so
 * one head costs exactly the requests it cost before (the listing, the root, its diff).
 */

export const DIFF_MARK = '-DIFF.';
const LEGACY_WRITER = '';

export interface RootKeyInfo {
  key: string;
  /** The root bundle this key belongs to (itself for a root). */
  base: string;
  isDiff: boolean;
  /** Writer tag of a diff ('' for legacy diffs and for roots). */
  writer: string;
}

/** Parse a key under i/root/ (as listed). */
export function parseRootKey(key: string): RootKeyInfo {
  const cut = key.indexOf(DIFF_MARK);
  if (cut < 0) return { key, base: key, isDiff: false, writer: LEGACY_WRITER };
  // TS.RAND or TS.RAND.WRITER
  const parts = key.slice(cut + DIFF_MARK.length).split('.');
  return { key, base: key.slice(0, cut), isDiff: true, writer: parts.length >= 3 ? parts.slice(2).join('.') : LEGACY_WRITER };
}

/** The diff key a writer uses for its next diff of `base`. */
export function diffKeyFor(base: string, stamp: string, rand: string, writer: string): string {
  return `${base}${DIFF_MARK}${stamp}.${rand}.${writer}`;
}

/**
 * What is known of a root bundle's parents: undefined = not read yet (supersedes nothing so
 * far), null = legacy bundle (newest wins), a list = the keys it supersedes.
 */
export type ParentsOf = (rootKey: string) => readonly string[] | null | undefined;

/**
 * Heads among `keys`, sorted ascending. Diffs whose base is not listed are not heads (nothing
 * to apply them to); `orphans` names them.
 */
export function selectHeads(keys: readonly string[], parentsOf: ParentsOf): { heads: string[]; orphans: string[] } {
  const listed = new Set(keys);
  const superseded = new Set<string>();
  const infos = [...listed].sort().map(parseRootKey);
  // Newest diff per (base, writer): everything older of that pair, and the base, are superseded.
  const newestDiff = new Map<string, string>();
  for (const i of infos) {
    if (!i.isDiff) continue;
    superseded.add(i.base);
    const pair = `${i.base}\n${i.writer}`;
    const prev = newestDiff.get(pair);
    if (prev !== undefined) superseded.add(prev);
    newestDiff.set(pair, i.key); // ascending order: the last one is the newest
  }
  for (const i of infos) {
    if (i.isDiff) continue;
    const parents = parentsOf(i.key);
    if (parents === null) {
      for (const k of listed) if (k < i.key) superseded.add(k);
    } else if (parents) {
      for (const p of parents) superseded.add(p);
    }
  }
  const heads: string[] = [];
  const orphans: string[] = [];
  for (const i of infos) {
    if (superseded.has(i.key)) continue;
    if (i.isDiff && !listed.has(i.base)) orphans.push(i.key);
    else heads.push(i.key);
  }
  return { heads, orphans };
}

/**
 * Settle the heads of a listing, reading root bundles newest first and only as long as a head
 * needs a root not read yet (`readParents` is the caller's loader: it keeps what it read).
 */
export async function resolveHeads(
  keys: readonly string[],
  readParents: (rootKey: string) => Promise<readonly string[] | null>,
): Promise<{ heads: string[]; orphans: string[] }> {
  const known = new Map<string, readonly string[] | null>();
  for (;;) {
    const sel = selectHeads(keys, (k) => known.get(k));
    const unread = [...new Set(sel.heads.map((h) => parseRootKey(h).base))].filter((b) => !known.has(b)).sort();
    if (unread.length === 0) return sel;
    const newest = unread[unread.length - 1]!;
    known.set(newest, await readParents(newest));
  }
}

/** Every listed key a merged base whose parents are `heads` makes obsolete: all but later writes. */
export function supersededByMerge(keys: readonly string[], heads: readonly string[]): string[] {
  const out = new Set<string>();
  for (const k of keys) out.add(k);
  for (const h of heads) out.add(parseRootKey(h).base);
  return [...out].sort();
}
