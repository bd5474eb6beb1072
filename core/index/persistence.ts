/**
 * How a user's index survives: `load` builds it (snapshot + journal replay), `commit`
 * makes records durable before the caller's operation resolves. The memory variant is for the
 * memory object store, where nothing survives the process anyway.
 */
import type { JournalRecord } from './records.ts';
import { UserIndex } from './user-index.ts';

export interface IndexPersistence {
  /** `fresh` is true when nothing at all was found for the user (no snapshot, no journal). */
  load(): Promise<{ index: UserIndex; fresh: boolean }>;
  /** Durable when resolved (journal fsynced). Records are already applied to the index. */
  commit(records: JournalRecord[]): Promise<void>;
  /** Write a snapshot now if anything changed since the last one. */
  flush(): Promise<void>;
  /**
   * Resolves once every record committed so far is in the shared object store (uploading if
   * needed). Absent: nothing is shared (memory). Objects are deleted only after it resolves.
   */
  uploaded?(): Promise<void>;
  /**
   * Like uploaded() without forcing an upload: resolves when the upload policy's next upload (or
   * a flush) holds every record committed so far. Never rejects; may never resolve if the user
   * is unloaded first (unload forces uploaded() instead).
   */
  whenUploaded?(): Promise<void>;
  close(): Promise<void>;
}

/** `kept` outlives the user's unload, standing in for the disk (one map per provider). */
export function createMemoryPersistence(user: string, kept: Map<string, UserIndex>): IndexPersistence {
  return {
    async load() {
      const old = kept.get(user);
      if (old) return { index: old, fresh: false };
      const index = new UserIndex();
      kept.set(user, index);
      return { index, fresh: true };
    },
    async commit() {},
    async flush() {},
    async close() {},
  };
}
