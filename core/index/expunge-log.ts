/**
 * Which UIDs a mailbox expunged, and at which MODSEQ: what QRESYNC's VANISHED (EARLIER) needs
 * (RFC 7162 3.2.5, 3.2.6). Kept compact: each entry is one MODSEQ with its UIDs as ranges;
 * when there are too many entries the two oldest merge (tagged with the newer MODSEQ, so a
 * client gets a superset, which the RFC allows), and when the ranges themselves grow too many
 * the oldest entry is dropped and `floor` rises: below the floor the log is no longer complete
 * and the caller falls back to "every UID the client knows that is not present".
 */

/** Flat ascending [from, to, from, to, ...] inclusive ranges. */
export type UidRanges = number[];

export interface ExpungeEntry {
  modseq: number;
  ranges: UidRanges;
}

export interface ExpungeLogState {
  floor: number;
  entries: [number, UidRanges][];
  /** GUIDs expunged (oldest first) for the merge of index heads; absent in older bundles. */
  guids?: string[];
}

const MAX_ENTRIES = 256;
const MAX_RANGES = 50_000;
/** Expunged GUIDs kept for merges (a head older than this many expunges may resurrect some). */
export const MAX_EXPUNGED_GUIDS = 50_000;

export class ExpungeLog {
  /** Queries with a MODSEQ >= floor are complete. */
  floor: number;
  entries: ExpungeEntry[] = [];
  /**
   * GUIDs expunged from the mailbox and not saved to it again, oldest first: what "expunges win"
   * needs when two heads are merged (UIDs alone are ambiguous once both sides appended).
   */
  readonly guids = new Set<string>();
  private rangeCount = 0;

  constructor(floor = 0) {
    this.floor = floor;
  }

  /** Record UIDs expunged at `modseq` (MODSEQs only grow), and their GUIDs when given. */
  record(uids: Iterable<number>, modseq: number, guids?: Iterable<string>): void {
    if (guids) this.addGuids(guids);
    const ranges = toRanges([...uids]);
    if (ranges.length === 0) return;
    const last = this.entries[this.entries.length - 1];
    if (last && last.modseq === modseq) {
      this.rangeCount -= last.ranges.length / 2;
      last.ranges = unionRanges(last.ranges, ranges);
      this.rangeCount += last.ranges.length / 2;
    } else {
      this.entries.push({ modseq, ranges });
      this.rangeCount += ranges.length / 2;
    }
    this.compact();
  }

  /**
   * UIDs expunged after `modseq` (entry MODSEQ > modseq), as ranges. `exact` is false when the
   * log no longer reaches back that far (the ranges are then only part of the answer).
   */
  since(modseq: number): { ranges: UidRanges; exact: boolean } {
    // Gather first and merge once: merging entry by entry would re-sort the result each time.
    const all: number[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.modseq <= modseq) break;
      for (const v of e.ranges) all.push(v);
    }
    return { ranges: normalizeRanges(all), exact: modseq >= this.floor };
  }

  addGuids(guids: Iterable<string>): void {
    for (const g of guids) {
      this.guids.delete(g); // re-inserted as the newest
      this.guids.add(g);
    }
    while (this.guids.size > MAX_EXPUNGED_GUIDS) this.guids.delete(this.guids.values().next().value!);
  }

  /** A GUID saved to the mailbox again (COPY back) is no longer expunged. */
  readded(guid: string): void {
    if (this.guids.size > 0) this.guids.delete(guid);
  }

  toState(): ExpungeLogState {
    const s: ExpungeLogState = { floor: this.floor, entries: this.entries.map((e) => [e.modseq, e.ranges]) };
    if (this.guids.size > 0) s.guids = [...this.guids];
    return s;
  }

  static fromState(s: ExpungeLogState): ExpungeLog {
    const log = new ExpungeLog(s.floor);
    for (const [modseq, ranges] of s.entries) {
      log.entries.push({ modseq, ranges: [...ranges] });
      log.rangeCount += ranges.length / 2;
    }
    if (Array.isArray(s.guids)) log.addGuids(s.guids);
    return log;
  }

  /** Both logs in one (merge of index heads): entries by MODSEQ, the higher floor, all GUIDs. */
  static union(a: ExpungeLog, b: ExpungeLog): ExpungeLog {
    const log = new ExpungeLog(Math.max(a.floor, b.floor));
    const byModseq = new Map<number, UidRanges>();
    for (const e of [...a.entries, ...b.entries]) byModseq.set(e.modseq, unionRanges(byModseq.get(e.modseq) ?? [], e.ranges));
    for (const modseq of [...byModseq.keys()].sort((x, y) => x - y)) {
      const ranges = byModseq.get(modseq)!;
      log.entries.push({ modseq, ranges });
      log.rangeCount += ranges.length / 2;
    }
    log.compact();
    log.addGuids(a.guids);
    log.addGuids(b.guids);
    return log;
  }

  private compact(): void {
    while (this.entries.length > MAX_ENTRIES) {
      const [a, b] = this.entries.splice(0, 2) as [ExpungeEntry, ExpungeEntry];
      const merged = unionRanges(a.ranges, b.ranges);
      this.rangeCount += merged.length / 2 - (a.ranges.length + b.ranges.length) / 2;
      this.entries.unshift({ modseq: b.modseq, ranges: merged });
    }
    while (this.rangeCount > MAX_RANGES && this.entries.length > 0) {
      const dropped = this.entries.shift()!;
      this.rangeCount -= dropped.ranges.length / 2;
      // A client that knows the mailbox as of `dropped.modseq` or later needs nothing dropped.
      this.floor = Math.max(this.floor, dropped.modseq);
    }
  }
}

/** Sorted, merged ranges of a list of UIDs. */
export function toRanges(uids: number[]): UidRanges {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const out: UidRanges = [];
  for (const u of sorted) {
    if (out.length > 0 && out[out.length - 1]! + 1 === u) out[out.length - 1] = u;
    else out.push(u, u);
  }
  return out;
}

/** Union of two range lists. */
export function unionRanges(a: UidRanges, b: UidRanges): UidRanges {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  return normalizeRanges([...a, ...b]);
}

/** Sorted, merged form of any flat list of inclusive ranges. */
export function normalizeRanges(flat: readonly number[]): UidRanges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: UidRanges = [];
  for (const [s, e] of pairs) {
    if (out.length > 0 && s <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  return out;
}
