/**
 * Store handles for transcripts: the real mail store (createMailStore over the memory object
 * store) wrapped to count references (a session must release every store it opened) and to
 * inject append failures. The contract double (fake-store.ts) stays for parser-level tests.
 */
import type { Config } from '../../../core/config/schema.ts';
import { createMemoryStore } from '../../../core/storage/drivers/memory.ts';
import { StorageError, type StorageErrorCode } from '../../../core/storage/errors.ts';
import { createMailStore } from '../../../core/storage/mail-store-impl.ts';
import type { MailStoreProvider, UserMailStore } from '../../../core/storage/mail-store.ts';
import { FakeMailStore } from './fake-store.ts';
import type { StoreHandle } from './transcript.ts';

export function makeStoreHandle(config: Config): StoreHandle {
  return realStoreHandle(config);
}

/** Counts opens/releases per user and injects append failures, over any provider. */
export class InstrumentedProvider implements MailStoreProvider {
  readonly refs = new Map<string, number>();
  readonly appendFailures = new Map<string, StorageErrorCode>();
  constructor(readonly inner: MailStoreProvider) {}

  async openUser(user: string): Promise<UserMailStore> {
    const store = await this.inner.openUser(user);
    this.refs.set(user, (this.refs.get(user) ?? 0) + 1);
    let released = false;
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'append') {
          return (...args: Parameters<UserMailStore['append']>) => {
            const code = this.appendFailures.get(user);
            if (code) {
              this.appendFailures.delete(user);
              return Promise.reject(new StorageError(code, 'injected failure'));
            }
            return target.append(...args);
          };
        }
        if (prop === 'release') {
          return () => {
            if (released) return Promise.reject(new Error(`store of ${user} released twice`));
            released = true;
            this.refs.set(user, (this.refs.get(user) ?? 1) - 1);
            return target.release();
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Throws when a session kept a store reference or the POP3 lock. */
  async checkReleased(): Promise<void> {
    for (const [user, n] of this.refs) if (n !== 0) throw new Error(`store of ${user} still has ${n} references`);
    for (const user of this.refs.keys()) {
      const store = await this.inner.openUser(user);
      try {
        const unlock = await store.lockExclusive('INBOX', 'leak-check');
        unlock();
      } catch {
        throw new Error(`INBOX of ${user} is still locked`);
      } finally {
        await store.release();
      }
    }
  }
}

function handleOver(provider: InstrumentedProvider): StoreHandle {
  return {
    provider,
    async append(user, raw) {
      const s = await provider.inner.openUser(user);
      try {
        await s.append('INBOX', raw);
      } finally {
        await s.release();
      }
    },
    async inboxCount(user) {
      const s = await provider.inner.openUser(user);
      try {
        return (await s.status('INBOX')).messages;
      } finally {
        await s.release();
      }
    },
    failNextAppend(user, code) {
      provider.appendFailures.set(user, code);
    },
    async close() {
      await provider.checkReleased();
      await provider.close();
    },
  };
}

export function realStoreHandle(config: Config): StoreHandle {
  return handleOver(new InstrumentedProvider(createMailStore({ config, objects: createMemoryStore() })));
}

export function fakeStoreHandle(_config: Config): StoreHandle {
  return handleOver(new InstrumentedProvider(new FakeMailStore()));
}
