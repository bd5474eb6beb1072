/**
 * In-memory ObjectStore for unit tests and the `memory` storage driver. Same semantics as the
 * durable drivers: no overwrite, lexicographic list, copies in and out so callers cannot
 * mutate stored bytes.
 */
import { StorageError } from '../errors.ts';
import type { ObjectInfo, ObjectStore } from '../object-store.ts';

interface Entry {
  data: Buffer;
  meta: Record<string, string>;
}

export function createMemoryStore(): ObjectStore {
  const objects = new Map<string, Entry>();
  let closed = false;
  const check = (): void => {
    if (closed) throw new StorageError('UNAVAILABLE', 'object store is closed');
  };
  return {
    driver: 'memory',
    async put(key, data, meta = {}) {
      check();
      validateKey(key);
      if (objects.has(key)) throw new StorageError('EXISTS', `object exists: ${key}`);
      objects.set(key, { data: Buffer.from(data), meta: { ...meta } });
    },
    async get(key) {
      check();
      const e = objects.get(key);
      if (!e) throw new StorageError('NOT_FOUND', `no such object: ${key}`);
      return { data: Buffer.from(e.data), meta: { ...e.meta } };
    },
    async head(key): Promise<ObjectInfo | null> {
      check();
      const e = objects.get(key);
      return e ? { key, size: e.data.length, meta: { ...e.meta } } : null;
    },
    async delete(key) {
      check();
      objects.delete(key);
    },
    list(prefix) {
      check();
      // Snapshot the matching keys now: callers may delete while iterating.
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
      return (async function* () {
        yield* keys;
      })();
    },
    async close() {
      closed = true;
    },
  };
}

/** Byte-wise (code unit) order, the order S3 lists in for ASCII keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function validateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024 || key.includes('\0')) {
    throw new StorageError('INVALID', 'invalid object key');
  }
}
