/**
 * CONTEXT=SEARCH (RFC 5267 4.3): live search results. `SEARCH RETURN (UPDATE)` registers a
 * context; whenever the session reports mailbox updates, each context is re-evaluated for the
 * messages whose MODSEQ moved (flag changes, new messages) and for expunged ones, and the
 * differences go out as `* ESEARCH (TAG "t") [UID] ADDTO (0 set)` / `REMOVEFROM (0 set)`
 * (position 0: SEARCH results are in mailbox order).
 *
 * Contexts live per MailboxView, so they end with the selection (SELECT, EXAMINE, UNSELECT,
 * CLOSE) as the RFC requires, or with CANCELUPDATE.
 * Ordering (4.3.3, 4.3.4): REMOVEFROM for expunged messages in sequence numbers goes out
 * before the EXPUNGE responses (numbers as they were), everything else after EXISTS.
 * Keys whose truth changes without a MODSEQ change (YOUNGER/OLDER, RECENT/NEW/OLD) make the
 * context re-evaluate every message at each sync point; nothing is sent on a timer alone.
 */
import { evaluateSearch } from '../../core/search/evaluate.ts';
import type { SearchKey } from '../../core/search/criteria.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { compressSet } from './esearch.ts';
import { resolveSet } from './seqset.ts';

/** Live contexts per session and selection; more are refused with NOUPDATE (RFC 5267 4.3.1). */
export const MAX_CONTEXTS = 16;

interface SearchContextState {
  tag: string;
  uid: boolean;
  /** Criteria with `$` and sequence numbers already turned into UIDs (4.3: fixed at command time). */
  key: SearchKey;
  /** UIDs currently in the result. */
  matched: Set<number>;
  /** Highest MODSEQ evaluated so far: later changes are re-evaluated. */
  modseq: number;
  /** The key depends on time or \Recent: every message is re-evaluated each time. */
  volatile: boolean;
}

/** True when a key's truth can change while the message's MODSEQ stays the same. */
function isVolatile(key: SearchKey): boolean {
  switch (key.type) {
    case 'within':
    case 'recent':
    case 'new':
    case 'old':
      return true;
    case 'flag':
      return key.flag.toLowerCase() === '\\recent';
    case 'not':
      return isVolatile(key.key);
    case 'or':
      return isVolatile(key.left) || isVolatile(key.right);
    case 'and':
      return key.keys.some(isVolatile);
    default:
      return false;
  }
}

const contexts = new WeakMap<MailboxView, Map<string, SearchContextState>>();

function table(view: MailboxView): Map<string, SearchContextState> {
  let t = contexts.get(view);
  if (!t) contexts.set(view, (t = new Map()));
  return t;
}

export function hasContext(view: MailboxView, tag: string): boolean {
  return contexts.get(view)?.has(tag) ?? false;
}

export function contextCount(view: MailboxView): number {
  return contexts.get(view)?.size ?? 0;
}

/** Start a context from a finished search (`seqs` ascending). `key` must already be frozen. */
export function addContext(view: MailboxView, tag: string, uid: boolean, key: SearchKey, seqs: readonly number[]): void {
  let modseq = 0;
  for (let s = 1; s <= view.count(); s++) modseq = Math.max(modseq, view.meta(s).modseq);
  const matched = new Set(seqs.map((s) => view.uidAt(s)));
  table(view).set(tag, { tag, uid, key, matched, modseq, volatile: isVolatile(key) });
}

/** CANCELUPDATE: true when the tag named a live context. */
export function cancelContext(view: MailboxView, tag: string): boolean {
  return contexts.get(view)?.delete(tag) ?? false;
}

/** Sequence-number keys become UID sets: the numbers are read when the command arrives (4.3). */
export function freezeSeqKeys(key: SearchKey, view: MailboxView): SearchKey {
  switch (key.type) {
    case 'seq': {
      const r = resolveSet(view, key.set, false);
      const uids = r.ok ? r.seqs.map((s) => view.uidAt(s)) : [];
      return uids.length > 0 ? { type: 'uid', set: uids.map((u) => ({ start: u, end: u })) } : { type: 'not', key: { type: 'all' } };
    }
    case 'not':
      return { type: 'not', key: freezeSeqKeys(key.key, view) };
    case 'or':
      return { type: 'or', left: freezeSeqKeys(key.left, view), right: freezeSeqKeys(key.right, view) };
    case 'and':
      return { type: 'and', keys: key.keys.map((k) => freezeSeqKeys(k, view)) };
    default:
      return key;
  }
}

/** Taken before `view.sync()`: where each matched message sits before expunges renumber. */
export interface ContextSnapshot {
  seqOf: Map<string, Map<number, number>>;
}

export function snapshotContexts(view: MailboxView): ContextSnapshot | null {
  const t = contexts.get(view);
  if (!t || t.size === 0) return null;
  const seqOf = new Map<string, Map<number, number>>();
  for (const c of t.values()) {
    if (c.uid) continue; // UIDs stay valid across expunges
    const m = new Map<number, number>();
    for (const uid of c.matched) m.set(uid, view.seqOfUid(uid));
    seqOf.set(c.tag, m);
  }
  return { seqOf };
}

export interface ContextLines {
  /** REMOVEFROM for expunged messages: to be sent before the EXPUNGE responses. */
  beforeExpunge: string[];
  /** ADDTO / REMOVEFROM for everything else: after EXISTS and FETCH. */
  after: string[];
}

async function matches(view: MailboxView, key: SearchKey, seq: number, now: number): Promise<boolean> {
  const count = view.count();
  try {
    return await evaluateSearch(key, {
      seq,
      meta: view.meta(seq),
      recent: view.isRecent(seq),
      maxSeq: count,
      maxUid: count > 0 ? view.uidAt(count) : 0,
      loadMessage: () => view.read(seq),
      now,
    });
  } catch (err) {
    if (isStorageError(err, 'EXPUNGED') || isStorageError(err, 'NOT_FOUND')) return false;
    throw err;
  }
}

function line(c: SearchContextState, item: 'ADDTO' | 'REMOVEFROM', numbers: number[]): string {
  numbers.sort((a, b) => a - b);
  return `ESEARCH (TAG "${c.tag}")${c.uid ? ' UID' : ''} ${item} (0 ${compressSet(numbers)})`;
}

/** Re-evaluates every context after `view.sync()`; `snap` is what snapshotContexts gave before it. */
export async function contextUpdates(view: MailboxView, snap: ContextSnapshot | null): Promise<ContextLines> {
  const out: ContextLines = { beforeExpunge: [], after: [] };
  const t = contexts.get(view);
  if (!snap || !t) return out;
  const now = Date.now();
  for (const c of t.values()) {
    const gone: number[] = [];
    for (const uid of c.matched) {
      if (view.seqOfUid(uid) > 0) continue;
      c.matched.delete(uid);
      gone.push(c.uid ? uid : (snap.seqOf.get(c.tag)?.get(uid) ?? 0));
    }
    const expunged = gone.filter((n) => n > 0);
    if (expunged.length > 0) (c.uid ? out.after : out.beforeExpunge).push(line(c, 'REMOVEFROM', expunged));

    const added: number[] = [];
    const removed: number[] = [];
    let highest = c.modseq;
    // Nothing in the mailbox moved past what this context has seen: skip the scan.
    const scan = c.volatile || view.highestModseq() > c.modseq ? view.count() : 0;
    for (let seq = 1; seq <= scan; seq++) {
      const meta = view.meta(seq);
      if (meta.modseq <= c.modseq && !c.volatile) continue;
      highest = Math.max(highest, meta.modseq);
      const hit = await matches(view, c.key, seq, now);
      const had = c.matched.has(meta.uid);
      if (hit && !had) c.matched.add(meta.uid), added.push(c.uid ? meta.uid : seq);
      else if (!hit && had) c.matched.delete(meta.uid), removed.push(c.uid ? meta.uid : seq);
    }
    c.modseq = highest;
    if (removed.length > 0) out.after.push(line(c, 'REMOVEFROM', removed));
    if (added.length > 0) out.after.push(line(c, 'ADDTO', added));
  }
  return out;
}
