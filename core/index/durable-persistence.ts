/**
 * Durable index persistence: a journal in the local metacache (fsynced before an operation
 * resolves) plus snapshots. Every `snapshotEveryChanges` records the changed mailboxes are
 * written as bundles to the object store (and the metacache), then a root bundle naming them
 * and the journal generation they cover; older journals and bundles are then removed.
 *
 * Between snapshots, flush() (on the user's last release) uploads a DIFF: every record since
 * the base root bundle, under `<root bundle key>-DIFF.TS.UNIQUE`, so the newest key under
 * i/root/ is always either the newest base or the newest diff of it. Another backend taking the
 * user over thus sees every acknowledged change without a full bundle per delivery.
 *
 * Load: the newest root bundle (local copy when we have it, else the object store), its mailbox
 * bundles, its newest diff, then every local journal of a later generation, in order. A torn
 * last frame is cut.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { isStorageError, StorageError } from '../storage/errors.ts';
import { bundleKey, indexPrefix, userHashPrefix, userKeySegment } from '../storage/keys.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import {
  decodeMailboxBundle, decodeRootBundle, decodeRootDiff, encodeMailboxBundle, encodeRootBundle, encodeRootDiff, type RootBundle,
} from './bundle.ts';
import { JournalWriter, readJournal } from './journal.ts';
import type { IndexPersistence } from './persistence.ts';
import type { JournalRecord } from './records.ts';
import { UserIndex } from './user-index.ts';
import { type PolicyTimers, UploadPolicy } from './upload-policy.ts';
import { MailboxIndex } from './mailbox-index.ts';

export interface DurableOptions {
  user: string;
  objects: ObjectStore;
  config: Config;
  /** The metacache root; the user's files go below it. */
  dir: string;
  log?: Logger;
  /** Timers of the upload policy (tests pass a fake clock). */
  timers?: PolicyTimers;
}

const JOURNAL_RE = /^journal\.(\d{12})$/;
const journalName = (gen: number) => `journal.${String(gen).padStart(12, '0')}`;
/** Local copy of a bundle: its key's last two segments (mailbox GUID or 'root', bundle name). */
const localName = (key: string) => key.split('/').slice(-2).join('__');
const DIFF_MARK = '-DIFF.';

export function userMetacacheDir(dir: string, user: string): string {
  return join(dir, userHashPrefix(user), userKeySegment(user));
}

export function createDurablePersistence(opts: DurableOptions): IndexPersistence {
  const { user, objects, log } = opts;
  const home = userMetacacheDir(opts.dir, user);
  const snapDir = join(home, 'snap');
  const rootPrefix = indexPrefix(user, 'root');
  let index: UserIndex;
  let gen = 0;
  let writer: JournalWriter | null = null;
  /** Records since the base root bundle: what a diff holds. */
  let sinceBase: JournalRecord[] = [];
  /** How many of them the newest uploaded diff holds. */
  let inDiff = 0;
  let rootDirty = false;
  /** Set when the load had to degrade: the next flush writes a full base. */
  let forceBase = false;
  const dirty = new Set<string>();
  let bundles: Record<string, string> = {};
  let rootKey: string | null = null;
  let diffKey: string | null = null;
  let uploading: Promise<void> | null = null;
  let closed = false;
  // storage.upload: diffs between snapshots after N deliveries or a delay after IMAP changes.
  const policy = new UploadPolicy(
    opts.config.storage.upload,
    () => void uploadNow().catch((err) => log?.warn({ err, user }, 'index upload failed; the journal keeps the changes')),
    opts.timers,
  );

  /** Newest key under i/root/, from the object store or our local copies. */
  async function newestRootKey(): Promise<string | null> {
    let remote: string | null = null;
    for await (const k of objects.list(rootPrefix)) remote = k; // lexicographic: newest last
    let local: string | null = null;
    try {
      for (const f of (await readdir(snapDir)).sort()) if (f.startsWith('root__')) local = rootPrefix + f.slice('root__'.length);
    } catch {
      // no local snapshot
    }
    if (local && (!remote || local >= remote)) return local;
    return remote;
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
    let coveredGen = 0;
    const newest = await newestRootKey();
    if (newest) {
      fresh = false;
      const cut = newest.indexOf(DIFF_MARK);
      rootKey = cut >= 0 ? newest.slice(0, cut) : newest;
      const rb = decodeRootBundle(await readBundle(rootKey));
      coveredGen = rb.gen;
      bundles = { ...rb.bundles };
      index.lastUidValidity = rb.root.lastUidValidity;
      for (const s of rb.root.subscriptions) index.subscriptions.add(s);
      for (const g of rb.root.pendingPurge ?? []) index.pendingPurge.add(g);
      for (const m of rb.root.mailboxes) {
        const key = rb.bundles[m.guid];
        let mbIndex: MailboxIndex | null = null;
        if (!m.noSelect) {
          try {
            if (!key) throw new Error('no bundle listed');
            mbIndex = decodeMailboxBundle(await readBundle(key));
          } catch (err) {
            // Degrade, do not lock the user out: an empty index under a new UIDVALIDITY; the
            // message objects come back through recovery with new UIDs.
            log?.error({ err, user, mailbox: m.name, key }, 'mailbox bundle unreadable; mailbox rebuilt from its objects');
            index.lastUidValidity = index.nextUidValidity();
            mbIndex = new MailboxIndex({ guid: m.guid, uidValidity: index.lastUidValidity, uidNext: 1, highestModseq: 1, firstRecentUid: 1 });
            dirty.add(m.guid);
            forceBase = true;
          }
        }
        index.add({ name: m.name, guid: m.guid, specialUse: m.specialUse, noSelect: m.noSelect, index: mbIndex });
      }
      if (cut >= 0) {
        diffKey = newest;
        try {
          const diff = decodeRootDiff(await readBundle(newest));
          for (const r of diff.records) replay(r);
          inDiff = sinceBase.length;
          coveredGen = Math.max(coveredGen, diff.gen);
        } catch (err) {
          // Flag changes since the base may be lost; messages still come back through recovery.
          log?.error({ err, user, key: newest }, 'index diff unreadable; using the base bundle alone');
          rootDirty = true;
          forceBase = true;
        }
      }
    }
    const gens = (await readdir(home))
      .map((f) => JOURNAL_RE.exec(f))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const g of gens) {
      if (g <= coveredGen) continue;
      fresh = false;
      for (const batch of await readJournal(join(home, journalName(g)))) for (const r of batch) replay(r);
    }
    // Always continue in a new file: an old one may end in a cut torn frame.
    gen = Math.max(coveredGen, gens.at(-1) ?? 0) + 1;
    writer = new JournalWriter(join(home, journalName(gen)));
    log?.debug({ user, root: rootKey, records: sinceBase.length }, 'index loaded');
    return { index, fresh };
  }

  function replay(r: JournalRecord): void {
    index.apply(r);
    noteDirty(r);
    sinceBase.push(r);
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
      case 'purge':
      default:
        rootDirty = true;
    }
  }

  async function commit(recs: JournalRecord[]): Promise<void> {
    if (!writer) throw new Error('index not loaded');
    if (closed) throw new StorageError('UNAVAILABLE', 'index is closed');
    for (const r of recs) noteDirty(r);
    const done = writer.append(recs);
    sinceBase.push(...recs);
    if (sinceBase.length >= opts.config.storage.snapshotEveryChanges && !uploading) {
      policy.uploaded();
      void snapshot().catch((err) => log?.warn({ err, user }, 'index snapshot failed; the journal keeps the changes'));
    }
    await done;
    policy.noteCommit(recs);
  }

  /** Full snapshot: capture state and switch journals synchronously; upload afterwards. */
  function snapshot(): Promise<void> {
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
    const captured = sinceBase;
    const wasForced = forceBase;
    forceBase = false;
    dirty.clear();
    rootDirty = false;
    sinceBase = [];
    inDiff = 0;
    gen++;
    const rotated = writer!.rotate(join(home, journalName(gen)));
    return run(async () => {
      try {
        for (const [, key, data] of encoded) {
          await objects.put(key, data);
          await writeFile(join(snapDir, localName(key)), data);
        }
        const rootData = encodeRootBundle(rb);
        await objects.put(newRootKey, rootData);
        await writeFile(join(snapDir, localName(newRootKey)), rootData);
      } catch (err) {
        // Nothing lost: the journals stay until a later upload succeeds.
        for (const [guid] of encoded) dirty.add(guid);
        rootDirty = true;
        sinceBase = captured.concat(sinceBase);
        forceBase ||= wasForced;
        throw err;
      }
      const stale = Object.values(bundles).filter((k) => !Object.values(nextBundles).includes(k));
      if (rootKey) stale.push(rootKey);
      if (diffKey) stale.push(diffKey);
      bundles = nextBundles;
      rootKey = newRootKey;
      diffKey = null;
      await rotated;
      await cleanup(coveredGen, stale);
    });
  }

  /** Upload every record since the base as one diff object (replacing the previous diff). */
  function uploadDiff(): Promise<void> {
    const base = rootKey!;
    const records = sinceBase.slice();
    const coveredGen = gen;
    const key = `${base}${DIFF_MARK}${String(Date.now()).padStart(15, '0')}.${randomBytes(6).toString('hex')}`;
    gen++;
    const rotated = writer!.rotate(join(home, journalName(gen)));
    return run(async () => {
      const data = encodeRootDiff({ v: 1, base, gen: coveredGen, records });
      await objects.put(key, data);
      await writeFile(join(snapDir, localName(key)), data);
      const stale = diffKey ? [diffKey] : [];
      if (rootKey === base) {
        diffKey = key;
        inDiff = Math.max(inDiff, records.length);
      } else stale.push(key); // a base snapshot overtook us
      await rotated;
      await cleanup(coveredGen, stale);
    });
  }

  /** One upload at a time. */
  function run(job: () => Promise<void>): Promise<void> {
    const prev = uploading ?? Promise.resolve();
    const p = prev.catch(() => {}).then(job);
    const mine = p.finally(() => {
      if (uploading === mine) uploading = null;
    });
    uploading = mine;
    return mine;
  }

  async function cleanup(coveredGen: number, stale: string[]): Promise<void> {
    for (const f of await readdir(home)) {
      const m = JOURNAL_RE.exec(f);
      if (m && Number(m[1]) <= coveredGen) await unlink(join(home, f)).catch(() => {});
    }
    for (const k of stale) {
      await objects.delete(k).catch((err) => {
        if (!isStorageError(err, 'NOT_FOUND')) log?.warn({ err, key: k }, 'could not delete an old bundle');
      });
      await unlink(join(snapDir, localName(k))).catch(() => {});
    }
  }

  /** What the last release does (when storage.upload.atLogout): see uploadNow. */
  async function flush(): Promise<void> {
    if (opts.config.storage.upload.atLogout) await uploadNow();
  }

  /** Upload everything so far: a base when due (or none exists), else a diff. */
  async function uploadNow(): Promise<void> {
    while (uploading) await uploading.catch(() => {});
    if (closed || !writer) return; // a timer that fired as the user was unloaded
    policy.uploaded();
    if (!rootKey || forceBase || sinceBase.length >= opts.config.storage.snapshotEveryChanges) {
      await snapshot();
    } else if (sinceBase.length > inDiff) {
      await uploadDiff();
    }
  }

  return {
    load,
    commit,
    flush,
    async close() {
      if (closed) return;
      policy.stop();
      try {
        await uploadNow();
      } finally {
        closed = true;
        await writer?.close();
      }
    },
  };
}
