/**
 * The MailStoreProvider: one shared UserStore per user, reference counted. Durable drivers get
 * the journal + snapshot persistence in the metacache; the memory driver keeps indexes in memory
 * for the life of the provider (its objects do not outlive the process either).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { createMemoryPersistence, type IndexPersistence } from '../index/persistence.ts';
import type { UserIndex } from '../index/user-index.ts';
import { isStorageError, StorageError } from './errors.ts';
import type { MailStoreProvider, UserMailStore } from './mail-store.ts';
import { type Codec, inlineLz4Codec } from './message-object.ts';
import type { ObjectStore } from './object-store.ts';
import { asStorageError, UserStore } from './user-store.ts';
import { MessageReadCache } from './read-cache.ts';
import { createDurablePersistence } from '../index/durable-persistence.ts';
import { ACTOR_CHECKED_METHODS, ActorStore } from './actor-store.ts';

export interface MailStoreOptions {
  config: Config;
  objects: ObjectStore;
  codec?: Codec;
  log?: Logger;
  /** Where journals live: 'fs' (metacache folder) or 'memory'. Default: memory for the memory driver. */
  journal?: 'fs' | 'memory';
  /**
   * How long a user stays loaded after the last release (ms). Its changes are uploaded at the
   * release either way; lingering only spares the next session (typically the next LMTP
   * delivery) a reload and a scan of the user's objects. Default 10 s with the fs journal.
   */
  lingerMs?: number;
}

interface Entry {
  refs: number;
  ready: Promise<UserStore>;
  closing: Promise<void> | null;
  linger: NodeJS.Timeout | null;
}

export function metacacheDir(config: Config): string {
  return config.storage.metacache ?? join(config.home, 'metacache');
}

export function createMailStore(opts: MailStoreOptions): MailStoreProvider {
  const users = new Map<string, Entry>();
  const keptIndexes = new Map<string, UserIndex>();
  const codec = opts.codec ?? inlineLz4Codec;
  const journal = opts.journal ?? (opts.objects.driver === 'memory' ? 'memory' : 'fs');
  const lingerMs = opts.lingerMs ?? (journal === 'memory' ? 0 : 10_000);
  const readCache = new MessageReadCache(opts.config.storage.readCacheBytes);
  let closed = false;

  const persistenceFor = (user: string): IndexPersistence =>
    journal === 'memory'
      ? createMemoryPersistence(user, keptIndexes)
      : createDurablePersistence({ user, objects: opts.objects, config: opts.config, dir: metacacheDir(opts.config), log: opts.log });

  async function openUser(user: string, openOpts?: { actor?: string }): Promise<UserMailStore> {
    if (closed) throw new StorageError('UNAVAILABLE', 'mail store is shut down');
    validateUser(user);
    const actor = openOpts?.actor ?? user;
    validateUser(actor);
    let e = users.get(user);
    if (e?.linger) {
      clearTimeout(e.linger);
      e.linger = null;
    }
    while (e?.closing) {
      await e.closing.catch(() => {});
      e = users.get(user);
    }
    if (!e) {
      const entry: Entry = { refs: 0, ready: null as unknown as Promise<UserStore>, closing: null, linger: null };
      entry.ready = UserStore.open({
        user,
        config: opts.config,
        objects: opts.objects,
        codec,
        persistence: persistenceFor(user),
        readCache,
        log: opts.log,
        onRelease: () => release(user, entry),
      });
      users.set(user, entry);
      e = entry;
      entry.ready.catch(() => {
        if (users.get(user) === entry) users.delete(user);
      });
    }
    e.refs++;
    try {
      const store = await e.ready;
      return handle(store, e, actor);
    } catch (err) {
      e.refs--;
      opts.log?.error({ err, user }, 'could not open the user mail store');
      throw isStorageError(err) ? err : new StorageError('TEMPORARY', 'could not open the mailbox store', { cause: err });
    }
  }

  /**
   * Each openUser gets its own handle so a double release() cannot drop someone else's ref.
   * The handle acts for `actor`: the mailbox operations go through its ActorStore (rights).
   */
  function handle(store: UserStore, e: Entry, actor: string): UserMailStore {
    let released = false;
    const acting = new ActorStore(store, actor);
    return new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'actor') return actor;
        if (prop === 'release') {
          return async () => {
            if (released) return;
            released = true;
            await release(store.user, e);
          };
        }
        const checked = typeof prop === 'string' && ACTOR_CHECKED_METHODS.has(prop);
        const self: object = checked ? acting : target;
        const v = checked ? Reflect.get(acting, prop) : Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        // Whatever escapes is a StorageError: protocols map only those.
        return (...args: unknown[]) => {
          try {
            const r = v.apply(self, args);
            return r instanceof Promise ? r.catch((err: unknown) => Promise.reject(asStorageError(err))) : r;
          } catch (err) {
            throw asStorageError(err);
          }
        };
      },
    }) as UserMailStore;
  }

  async function release(user: string, e: Entry): Promise<void> {
    e.refs--;
    if (e.refs > 0 || e.closing) return;
    let store: UserStore;
    try {
      store = await e.ready;
      // Upload now, so that another backend taking the user over sees every change.
      await store.flush();
    } catch (err) {
      opts.log?.error({ err, user }, 'could not flush the user index');
    }
    if (e.refs > 0 || e.closing || e.linger) return;
    if (lingerMs > 0 && !closed) {
      e.linger = setTimeout(() => {
        e.linger = null;
        void unload(user, e);
      }, lingerMs);
      e.linger.unref();
      return;
    }
    await unload(user, e);
  }

  async function unload(user: string, e: Entry): Promise<void> {
    if (e.refs > 0 || e.closing) return;
    e.closing = (async () => {
      try {
        const store = await e.ready;
        await store.unload();
      } finally {
        if (users.get(user) === e) users.delete(user);
      }
    })();
    await e.closing.catch((err) => opts.log?.error({ err, user }, 'could not unload the user mail store'));
  }

  return {
    openUser,
    async close() {
      closed = true;
      const all = [...users.entries()];
      await Promise.all(
        all.map(async ([user, e]) => {
          if (e.linger) clearTimeout(e.linger);
          e.linger = null;
          try {
            const s = await e.ready;
            await s.unload();
          } catch (err) {
            opts.log?.error({ err, user }, 'flush at shutdown failed');
          }
        }),
      );
      users.clear();
    },
  };
}

function validateUser(user: string): void {
  // eslint-disable-next-line no-control-regex
  if (typeof user !== 'string' || user.length === 0 || user.length > 255 || /[\x00-\x1f\x7f]/.test(user)) {
    throw new StorageError('INVALID', 'invalid user name');
  }
}
