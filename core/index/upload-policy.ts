/**
 * When a user's index changes go up to the object store between snapshots (config
 * `storage.upload`): after `everyDeliveries` deliveries/APPENDs, at most `afterChangeMs` after an
 * IMAP change (one timer, coalesced), and at logout (the persistence's flush). The policy only
 * decides; the persistence uploads (a diff, or a base when one is due) through `upload`.
 *
 * Why: a backend may die at any moment; what it acknowledged but did not upload lives only in its
 * local journal. These bounds are what another backend taking the user over can miss.
 */
import type { JournalRecord } from './records.ts';

export interface UploadSettings {
  everyDeliveries: number;
  afterChangeMs: number;
  atLogout: boolean | 'auto';
}

/**
 * Whether the user's last release uploads. `auto`: only for drivers other backends share (s3,
 * sproxyd); a local folder's journal already holds every change for the one process reading it.
 */
export function uploadsAtLogout(setting: boolean | 'auto', driver: string): boolean {
  return setting === 'auto' ? driver === 's3' || driver === 'sproxyd' : setting;
}

/** Timers as a slot, so tests drive a fake clock. */
export interface PolicyTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: PolicyTimers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref(); // a pending upload must not keep a process alive (close() flushes anyway)
    return t;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** What a committed batch is, for the policy. */
export type BatchKind = 'delivery' | 'change' | 'none';

/**
 * A batch of one append is a delivery (LMTP or APPEND); a batch of appends only with more than
 * one record is a COPY or a recovery, counted as a change. \Recent claims alone upload nothing:
 * losing one only makes mail recent again, and every SELECT makes one.
 */
export function classifyBatch(recs: readonly JournalRecord[]): BatchKind {
  if (recs.length === 1 && recs[0]!.t === 'append') return 'delivery';
  return recs.some((r) => r.t !== 'recent' && !isIncidental(r)) ? 'change' : 'none';
}

/**
 * A record whose loss costs only a repeat: clearing purge marks after the objects are deleted
 * (lost, the next load deletes the missing objects again). Uploads no index by itself.
 */
export function isIncidental(r: JournalRecord): boolean {
  return r.t === 'purge' && !r.on;
}

export class UploadPolicy {
  private deliveries = 0;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly settings: UploadSettings,
    /** Starts an upload of everything so far; the policy does not wait for it. */
    private readonly upload: () => void,
    private readonly timers: PolicyTimers = realTimers,
  ) {}

  /** Call after each committed batch. */
  noteCommit(recs: readonly JournalRecord[]): void {
    if (this.stopped) return;
    const kind = classifyBatch(recs);
    if (kind === 'delivery') {
      if (++this.deliveries >= this.settings.everyDeliveries) this.fire();
    } else if (kind === 'change' && this.timer === null) {
      this.timer = this.timers.set(() => {
        this.timer = null;
        this.fire();
      }, this.settings.afterChangeMs);
    }
  }

  /** Everything so far is being uploaded (by the policy or otherwise): start counting again. */
  uploaded(): void {
    this.deliveries = 0;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  /** Deliveries since the last upload (for tests and logs). */
  get pendingDeliveries(): number {
    return this.deliveries;
  }

  get timerArmed(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    this.stopped = true;
    this.uploaded();
  }

  private fire(): void {
    this.uploaded();
    if (!this.stopped) this.upload();
  }
}
