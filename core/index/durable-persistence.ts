/**
 * Durable index persistence: a journal in the local metacache (fsynced before an operation
 * resolves) plus snapshots. Every `snapshotEveryChanges` records the changed mailboxes are
 * written as bundles to the object store (and the metacache), then a root bundle naming them
 * and the journal generation they cover; older journals and bundles are then removed.
 *
 * Load: the newest root bundle (local copy when we have it, else the object store), its mailbox
 * bundles, then every local journal of a later generation, in order. A torn last frame is cut.
 */
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { isStorageError } from '../storage/errors.ts';
import { bundleKey, indexPrefix, userHashPrefix, userKeySegment } from '../storage/keys.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { decodeMailboxBundle, decodeRootBundle, encodeMailboxBundle, encodeRootBundle, type RootBundle } from './bundle.ts';
import { JournalWriter, readJournal } from './journal.ts';
import type { IndexPersistence } from './persistence.ts';
import type { JournalRecord } from './records.ts';
import { UserIndex } from './user-index.ts';

export interface DurableOptions {
  user: string;
  objects: ObjectStore;
  config: Config;
  /** The metacache root; the user's files go below it. */
  dir: string;
  log?: Logger;
}

const JOURNAL_RE = /^journal\.(\d{12})$/;
const journalName = (gen: number) => `journal.${String(gen).padStart(12, '0')}`;
/** Local copy of a bundle: its key's last two segments (mailbox GUID or 'root', bundle name). */
const localName = (key: string) => key.split('/').slice(-2).join('__');

export function userMetacacheDir(dir: string, user: string): string {
  return join(dir, userHashPrefix(user), userKeySegment(user));
}

export function createDurablePersistence(opts: DurableOptions): IndexPersistence {
  const { user, objects, log } = opts;
  const home = userMetacacheDir(opts.dir, user);
  const snapDir = join(home, 'snap');
  let index: UserIndex;
  let gen = 0;
  let writer: JournalWriter | null = null;
  let sinceSnapshot = 0;
  let rootDirty = false;
  const dirty = new Set<string>();
  let bundles: Record<string, string> = {};
  let rootKey: string | null = null;
  let snapshotting: Promise<void> | null = null;
  let closed = false;

  async function newestRoot(): Promise<{ key: string; local: boolean } | null> {
    let remote: string | null = null;
    for await (const k of objects.list(indexPrefix(user, 'root'))) remote = k; // lexicographic: newest last
    let local: string | null = null;
    try {
      for (const f of (await readdir(snapDir)).sort()) if (f.startsWith('root__')) local = f;
    } catch {
      // no local snapshot
    }
    const remoteName = remote ? localName(remote) : null;
    if (local && (!remoteName || local >= remoteName)) {
      return { key: indexPrefix(user, 'root') + local.slice('root__'.length), local: true };
    }
    return remote ? { key: remote, local: false } : null;
  }

  async function readBundle(key: string): Promise<Buffer> {
    try {
      return await readFile(join(snapDir, localName(key)));
    } catch {
      return (await objects.get(key)).data;
    }
  }

  async function load(): Promise<{ index: UserIndex; fresh: boolean }> {
    await mkdir(snapDir, { recursive: true });
    index = new UserIndex();
    let fresh = true;
    let baseGen = 0;
    const root = await newestRoot();
    if (root) {
      fresh = false;
      const rb = decodeRootBundle(await readBundle(root.key));
      rootKey = root.key;
      baseGen = rb.gen;
      bundles = { ...rb.bundles };
      index.lastUidValidity = rb.root.lastUidValidity;
      for (const s of rb.root.subscriptions) index.subscriptions.add(s);
      for (const m of rb.root.mailboxes) {
        const key = rb.bundles[m.guid];
        const mbIndex = !m.noSelect && key ? decodeMailboxBundle(await readBundle(key)) : null;
        index.add({ name: m.name, guid: m.guid, specialUse: m.specialUse, noSelect: m.noSelect, index: mbIndex });
      }
    }
    const gens = (await readdir(home))
      .map((f) => JOURNAL_RE.exec(f))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let replayed = 0;
    for (const g of gens) {
      if (g <= baseGen) continue;
      fresh = false;
      for (const batch of await readJournal(join(home, journalName(g)))) {
        for (const r of batch) {
          index.apply(r);
          noteDirty(r);
          replayed++;
        }
      }
    }
    // Always continue in a new file: an old one may end in a cut torn frame.
    gen = Math.max(baseGen, gens.at(-1) ?? 0) + 1;
    writer = new JournalWriter(join(home, journalName(gen)));
    sinceSnapshot = replayed;
    log?.debug({ user, baseGen, replayed }, 'index loaded');
    return { index, fresh };
  }

  function noteDirty(r: JournalRecord): void {
    switch (r.t) {
      case 'append': case 'flags': case 'expunge': case 'recent':
        dirty.add(r.mb);
        return;
      case 'create':
        dirty.add(r.guid);
        rootDirty = true;
        return;
      case 'rename-inbox':
        dirty.add(r.newGuid);
        rootDirty = true;
        return;
      default:
        rootDirty = true;
    }
  }

  async function commit(recs: JournalRecord[]): Promise<void> {
    if (!writer) throw new Error('index not loaded');
    for (const r of recs) noteDirty(r);
    const done = writer.append(recs);
    sinceSnapshot += recs.length;
    if (sinceSnapshot >= opts.config.storage.snapshotEveryChanges && !snapshotting) {
      void snapshot().catch((err) => log?.warn({ err, user }, 'index snapshot failed; the journal keeps the changes'));
    }
    await done;
  }

  /** Capture state and switch journals synchronously; upload afterwards. */
  function snapshot(): Promise<void> {
    if (snapshotting) return snapshotting;
    if (sinceSnapshot === 0 && dirty.size === 0 && !rootDirty) return Promise.resolve();
    const coveredGen = gen;
    const encoded: [string, string, Buffer][] = [];
    for (const guid of dirty) {
      const e = index.byGuid.get(guid);
      if (e?.index) encoded.push([guid, bundleKey(user, guid), encodeMailboxBundle(e.index)]);
    }
    const nextBundles: Record<string, string> = {};
    for (const e of index.mailboxes.values()) if (e.index && bundles[e.guid]) nextBundles[e.guid] = bundles[e.guid]!;
    for (const [guid, key] of encoded) nextBundles[guid] = key;
    const rb: RootBundle = { v: 1, gen: coveredGen, root: index.rootState(), bundles: nextBundles };
    const newRootKey = bundleKey(user, 'root');
    dirty.clear();
    rootDirty = false;
    sinceSnapshot = 0;
    gen++;
    const rotated = writer!.rotate(join(home, journalName(gen)));
    const oldBundles = bundles;
    const oldRoot = rootKey;
    snapshotting = (async () => {
      try {
        for (const [, key, data] of encoded) {
          await objects.put(key, data);
          await writeFile(join(snapDir, localName(key)), data);
        }
        const rootData = encodeRootBundle(rb);
        await objects.put(newRootKey, rootData);
        await writeFile(join(snapDir, localName(newRootKey)), rootData);
        bundles = nextBundles;
        rootKey = newRootKey;
        await rotated;
        await cleanup(coveredGen, oldBundles, oldRoot);
      } catch (err) {
        // Nothing lost: the journals stay until a later snapshot succeeds. Mark all dirty again.
        for (const [guid] of encoded) dirty.add(guid);
        rootDirty = true;
        throw err;
      } finally {
        snapshotting = null;
      }
    })();
    return snapshotting;
  }

  async function cleanup(coveredGen: number, oldBundles: Record<string, string>, oldRoot: string | null): Promise<void> {
    for (const f of await readdir(home)) {
      const m = JOURNAL_RE.exec(f);
      if (m && Number(m[1]) <= coveredGen) await unlink(join(home, f)).catch(() => {});
    }
    const live = new Set(Object.values(bundles));
    const stale = Object.values(oldBundles).filter((k) => !live.has(k));
    if (oldRoot && oldRoot !== rootKey) stale.push(oldRoot);
    for (const k of stale) {
      await objects.delete(k).catch((err) => {
        if (!isStorageError(err, 'NOT_FOUND')) log?.warn({ err, key: k }, 'could not delete an old bundle');
      });
      await unlink(join(snapDir, localName(k))).catch(() => {});
    }
  }

  return {
    load,
    commit,
    async flush() {
      while (snapshotting) await snapshotting.catch(() => {});
      await snapshot();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        while (snapshotting) await snapshotting.catch(() => {});
        await snapshot();
      } finally {
        await writer?.close();
      }
    },
  };
}
