/**
 * What the sessions of one user share about one mailbox beyond its index: the open views, a
 * log of changes that views have not synced yet (expunges keep the metadata of the rows they
 * removed, so an unsynced view can still answer about them), and \Recent claims.
 */
import type { MessageMeta } from './mail-store.ts';

export type ChangeEvent =
  /** `purge`: objects to delete once no view can still ask for these messages. */
  | { kind: 'expunge'; uids: number[]; metas: Map<number, MessageMeta>; origin: object | null; purge?: string[] }
  | { kind: 'flags'; uids: number[]; origin: object | null }
  | { kind: 'append' }
  | { kind: 'deleted' };

export interface RuntimeView {
  /** Position in the runtime's log up to which this view has synced. */
  logPos: number;
  notify(): void;
}

export class MailboxRuntime {
  readonly guid: string;
  readonly views = new Set<RuntimeView>();
  /** log[i] has absolute position base + i. */
  private log: ChangeEvent[] = [];
  private base = 0;
  deleted = false;
  /** Receives the purge lists of expunges every view has synced past. */
  onPurge: ((guids: string[]) => void) | null = null;

  constructor(guid: string) {
    this.guid = guid;
  }

  get end(): number {
    return this.base + this.log.length;
  }

  /** Returns false when no view is open (the event was not kept: nobody needs it). */
  push(ev: ChangeEvent, origin: RuntimeView | null): boolean {
    if (ev.kind === 'deleted') this.deleted = true;
    if (this.views.size === 0) return false; // nobody to tell
    this.log.push(ev);
    for (const v of this.views) {
      if (v === origin) continue;
      try {
        v.notify();
      } catch {
        // A listener's failure is the listener's problem; other sessions must still hear.
      }
    }
    return true;
  }

  eventsSince(pos: number): ChangeEvent[] {
    return this.log.slice(Math.max(0, pos - this.base));
  }

  /** Metadata of an expunged UID that a view at `pos` has not synced away yet. */
  expungedMeta(pos: number, uid: number): MessageMeta | undefined {
    for (let i = Math.max(0, pos - this.base); i < this.log.length; i++) {
      const ev = this.log[i]!;
      if (ev.kind === 'expunge') {
        const m = ev.metas.get(uid);
        if (m) return m;
      }
    }
    return undefined;
  }

  /** Forget events every view has synced past. */
  trim(): void {
    let min = this.end;
    for (const v of this.views) min = Math.min(min, v.logPos);
    const drop = min - this.base;
    if (drop > 0) {
      const dropped = this.log.splice(0, drop);
      this.base = min;
      const purge = dropped.flatMap((ev) => (ev.kind === 'expunge' && ev.purge ? ev.purge : []));
      if (purge.length > 0) this.onPurge?.(purge);
    }
  }
}
