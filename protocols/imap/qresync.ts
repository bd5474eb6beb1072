/**
 * CONDSTORE and QRESYNC (RFC 7162) on the session side: which of them is on, VANISHED lines,
 * and the resynchronisation a SELECT/EXAMINE (QRESYNC ...) or UID FETCH (VANISHED) answers with.
 */
import { lowerBound } from './seqset.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import type { SeqSet } from '../../core/search/criteria.ts';
import { flagList } from './encode.ts';
import { sessionFlags } from './updates.ts';
import type { QresyncParams } from './wire/parse-qresync.ts';

export const CONDSTORE = 'CONDSTORE';
export const QRESYNC = 'QRESYNC';

type Enabled = { readonly enabled: Set<string> };

export function condstoreOn(ctx: Enabled): boolean {
  return ctx.enabled.has(CONDSTORE) || ctx.enabled.has(QRESYNC);
}

export function qresyncOn(ctx: Enabled): boolean {
  return ctx.enabled.has(QRESYNC);
}

/** Ranges per VANISHED line, so a huge answer becomes several lines of sane length. */
const RANGES_PER_LINE = 500;

/** `1:3,5` for flat inclusive ranges. */
export function formatRanges(ranges: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < ranges.length; k += 2) parts.push(ranges[k] === ranges[k + 1] ? `${ranges[k]}` : `${ranges[k]}:${ranges[k + 1]}`);
  return parts.join(',');
}

/** `VANISHED [(EARLIER) ]set` lines (without `* `) for flat inclusive ranges. */
export function vanishedLines(ranges: readonly number[], earlier: boolean): string[] {
  const lines: string[] = [];
  for (let i = 0; i < ranges.length; i += RANGES_PER_LINE * 2) {
    const parts: string[] = [];
    for (let k = i; k < Math.min(ranges.length, i + RANGES_PER_LINE * 2); k += 2) {
      const a = ranges[k]!;
      const b = ranges[k + 1]!;
      parts.push(a === b ? `${a}` : `${a}:${b}`);
    }
    lines.push(`VANISHED ${earlier ? '(EARLIER) ' : ''}${parts.join(',')}`);
  }
  return lines;
}

/** Flat ranges of ascending UIDs. */
export function uidsToRanges(uids: readonly number[]): number[] {
  const sorted = [...uids].sort((a, b) => a - b);
  const out: number[] = [];
  for (const u of sorted) {
    if (out.length > 0 && u <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(u, out[out.length - 1]!);
    else out.push(u, u);
  }
  return out;
}

/** A UID set as flat ranges within 1..maxUid ('*' is maxUid). */
export function setToRanges(set: SeqSet, maxUid: number): number[] {
  const pairs: number[] = [];
  for (const r of set) {
    const a = r.start === '*' ? maxUid : r.start;
    const b = r.end === '*' ? maxUid : r.end;
    const lo = Math.max(1, Math.min(a, b));
    const hi = Math.min(maxUid, Math.max(a, b));
    if (lo <= hi) pairs.push(lo, hi);
  }
  return normalize(pairs);
}

function normalize(flat: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    if (out.length > 0 && s <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  return out;
}

/** Intersection of two flat range lists. */
export function intersectRanges(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

/** The parts of `ranges` that hold no UID present in the view. */
function withoutPresent(ranges: readonly number[], view: MailboxView): number[] {
  const out: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    let from = ranges[i]!;
    const to = ranges[i + 1]!;
    // Present UIDs inside [from, to], found by walking the view from the first one >= from.
    let seq = lowerBound(view, from);
    while (seq <= view.count() && view.uidAt(seq) <= to) {
      const u = view.uidAt(seq);
      if (u > from) out.push(from, u - 1);
      from = u + 1;
      seq++;
    }
    if (from <= to) out.push(from, to);
  }
  return out;
}


/**
 * UIDs within `scope` (flat ranges) expunged after `modseq`. Where the store's record is
 * complete this is exact; otherwise every UID of the scope that is not present (a superset,
 * which RFC 7162 3.2.5.2 allows).
 */
export function vanishedSince(view: MailboxView, modseq: number, scope: readonly number[]): number[] {
  const rec = view.expungedSince?.(modseq) ?? { ranges: [], exact: false };
  if (rec.exact) return intersectRanges(normalize(rec.ranges), scope);
  return withoutPresent(scope, view);
}

/**
 * What SELECT/EXAMINE (QRESYNC ...) adds after the usual responses: VANISHED (EARLIER) for the
 * known UIDs that are gone, then FETCH (UID FLAGS MODSEQ) for known messages changed since
 * the client's MODSEQ. Nothing when the UIDVALIDITY differs (the client must start over).
 */
export function resyncLines(view: MailboxView, p: QresyncParams): string[] {
  if (p.uidValidity !== view.uidValidity) return [];
  const maxUid = view.uidNext() - 1;
  const scope = p.knownUids ? setToRanges(p.knownUids, maxUid) : maxUid > 0 ? [1, maxUid] : [];
  const lines = vanishedLines(vanishedSince(view, p.modseq, scope), true);
  lines.push(...changedFetchLines(view, p.modseq, p.knownUids ? scope : null));
  return lines;
}

/** `n FETCH (UID u FLAGS (...) MODSEQ (m))` for messages (within scope) changed after modseq. */
function changedFetchLines(view: MailboxView, modseq: number, scope: readonly number[] | null): string[] {
  const lines: string[] = [];
  if (view.highestModseq() <= modseq) return lines;
  let r = 0;
  for (let seq = 1; seq <= view.count(); seq++) {
    const m = view.meta(seq);
    if (m.modseq <= modseq) continue;
    if (scope) {
      while (r < scope.length && scope[r + 1]! < m.uid) r += 2;
      if (r >= scope.length || scope[r]! > m.uid) continue;
    }
    lines.push(`${seq} FETCH (UID ${m.uid} FLAGS ${flagList(sessionFlags(view, seq))} MODSEQ (${m.modseq}))`);
  }
  return lines;
}
