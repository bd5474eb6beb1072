/**
 * An in-process KeyIndex: for tests and a single-process setup only (lost on restart, so a
 * real deployment uses the Redis index). Same semantics as key-index-redis.ts.
 */
import { compareKeys } from './drivers/memory.ts';
import { newStamp, partitionOf, type KeyIndex, type PendingEntry } from './key-index.ts';

export function createMemoryKeyIndex(depth = 2): KeyIndex & { readonly pendingCount: number } {
  const committed = new Map<string, Set<string>>();
  const pending = new Map<string, Map<string, number>>();
  const partsOf = <T>(m: Map<string, T>, p: string, make: () => T): T => {
    let v = m.get(p);
    if (!v) m.set(p, (v = make()));
    return v;
  };
  const c = (key: string): Set<string> => partsOf(committed, partitionOf(key, depth), () => new Set());
  const pend = (key: string): Map<string, number> => partsOf(pending, partitionOf(key, depth), () => new Map());

  return {
    depth,
    get pendingCount() {
      let n = 0;
      for (const m of pending.values()) n += m.size;
      return n;
    },
    async beginPut(key) {
      pend(key).set(key, newStamp());
    },
    async commitPut(key) {
      c(key).add(key);
      pend(key).delete(key);
    },
    async beginDelete(key) {
      c(key).delete(key);
      pend(key).set(key, newStamp());
    },
    async finishDelete(key) {
      c(key).delete(key);
      pend(key).delete(key);
    },
    committed(partition, prefix) {
      // Snapshot: callers may delete while iterating.
      const keys = [...(committed.get(partition) ?? [])].filter((k) => k.startsWith(prefix)).sort(compareKeys);
      return (async function* () {
        yield* keys;
      })();
    },
    async pending(partition, prefix) {
      const out: PendingEntry[] = [];
      for (const [key, stamp] of pending.get(partition) ?? []) if (key.startsWith(prefix)) out.push({ key, stamp });
      return out;
    },
    async partitions(prefix) {
      const names = new Set([...committed.keys(), ...pending.keys()]);
      return [...names].filter((p) => p.startsWith(prefix)).sort(compareKeys);
    },
    async promote(e) {
      if (pend(e.key).get(e.key) !== e.stamp) return;
      pend(e.key).delete(e.key);
      c(e.key).add(e.key);
    },
    async drop(e) {
      if (pend(e.key).get(e.key) === e.stamp) pend(e.key).delete(e.key);
    },
    async close() {},
  };
}
