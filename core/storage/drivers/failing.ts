/**
 * An ObjectStore wrapper that fails on demand, for error-path tests: every operation asks
 * `shouldFail(op, key)` first and throws the given StorageError code when told to.
 */
import { StorageError, type StorageErrorCode } from '../errors.ts';
import type { ObjectStore } from '../object-store.ts';

export type ObjectOp = 'put' | 'get' | 'head' | 'delete' | 'list';

export function createFailingStore(inner: ObjectStore, shouldFail: (op: ObjectOp, key: string) => StorageErrorCode | null): ObjectStore {
  const gate = (op: ObjectOp, key: string): void => {
    const code = shouldFail(op, key);
    if (code) throw new StorageError(code, `injected ${op} failure for ${key}`);
  };
  return {
    driver: `failing(${inner.driver})`,
    async put(key, data, meta) {
      gate('put', key);
      return inner.put(key, data, meta);
    },
    async get(key) {
      gate('get', key);
      return inner.get(key);
    },
    async head(key) {
      gate('head', key);
      return inner.head(key);
    },
    async delete(key) {
      gate('delete', key);
      return inner.delete(key);
    },
    list(prefix) {
      gate('list', prefix);
      return inner.list(prefix);
    },
    close: () => inner.close(),
  };
}
