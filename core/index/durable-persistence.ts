/**
 * Durable index persistence: a journal in the local metacache (fsynced before an operation
 * resolves) plus snapshots. Every `snapshotEveryChanges` records the changed mailboxes are
 * written as bundles to the object store (and the metacache), then a root bundle naming them
 * and the journal generation they cover; older journals and bundles are then removed.
 *
 * Between snapshots, flush() (on the user's last release) uploads a DIFF: every record since
 * the base root bundle, under `<root bundle key>-DIFF.TS.UNIQUE.WRITER`; every base and diff
 * names the keys it supersedes (`parents`). Another backend taking the user over thus sees every
 * acknowledged change without a full bundle per delivery.
 *
 * Load: list the user's prefix once (the heads under i/root/, and the message keys handed to
 * recovery: heads-listing.ts) and settle the heads (heads.ts). One head: its root bundle (local copy
 * when we have it, else the object store), its mailbox bundles (small ones are inline in the root:
 * storage.inlineBundleMax), its diff; what came from the object store is then kept locally. Several heads (two
 * backends wrote): each is loaded into its own UserIndex and merged (merge-index.ts; a diff on a
 * base another head merged is lifted first: rebase.ts); the next upload writes a base whose
 * `parents` are all the heads (a crash before it repeats the same merge). Then every local
 * journal of a later generation, in order. A torn last frame is cut.
 *
 * Deletion: superseded keys stay storage.supersededGraceMs after they stopped being needed (a
 * split brain's other side may still write diffs against an old base) and are deleted by the
 * upload or logout after they are due, once no head needs them (superseded.ts, superseded-sweep.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { isStorageError, StorageError } from '../storage/errors.ts';
import { bundleKey, indexPrefix, messagePrefix, userHashPrefix, userKeySegment, userPrefix } from '../storage/keys.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import {
  decodeMailboxBundle, decodeRootBundle, decodeRootDiff, encodeMailboxBundle, encodeRootBundle, encodeRootDiff, type RootBundle,
} from './bundle.ts';
import { metadataPrefix } from '../storage/metadata-store.ts';
import { diffKeyFor, parseRootKey, resolveHeads } from './heads.ts';
import { rememberMessageListing, rememberMetadataListing } from './heads-listing.ts';
import { planSuperseded } from './superseded.ts';
import { isBehindAnotherHead, liftTouchedRows, touchedRows } from './rebase.ts';
import { sweepSuperseded } from './superseded-sweep.ts';
import { JournalWriter, readJournal } from './journal.ts';
import { defaultPlan, mergeUserIndexes } from './merge-index.ts';
import type { IndexPersistence } from './persistence.ts';
import type { JournalRecord } from './records.ts';
import { UserIndex } from './user-index.ts';
import { isIncidental, type PolicyTimers, UploadPolicy, uploadsAtLogout } from './upload-policy.ts';
import { MailboxIndex } from './mailbox-index.ts';

export interface DurableOptions {
  user: string;
  objects: ObjectStore;
  config: Config;
  /** The metacache root; the user's files go below it. */
  dir: string;
  log?: Logger;
  /** Writer tag in diff key names (heads.ts); default: this process's. Tests give each "backend" its own. */
  writer?: { tag: string; info: string };
  /** Timers of the upload policy (tests pass a fake clock). */
  timers?: PolicyTimers;
}

/** Fewest bytes one message takes in an encoded mailbox bundle (bundle.ts: uid, flags, 4 numbers, GUID, keyword count). */
const MIN_ROW_BYTES = 4 + 1 + 8 * 4 + 16 + 2;
const JOURNAL_RE = /^journal\.(\d{12})$/;
const journalName = (gen: number) => `journal.${String(gen).padStart(12, '0')}`;
/** Local copy of a bundle: its key's last two segments (mailbox GUID or 'root', bundle name). */
const localName = (key: string) => key.split('/').slice(-2).join('__');

/** This process as a writer of index heads: host/pid for people, a short tag for key names. */
const WRITER_INFO = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
const WRITER_TAG = createHash('sha256').update(WRITER_INFO).digest('hex').slice(0, 12);

/** Changes storage.fsync `optimized` acknowledges before their fsync: no message depends on them. */
function isLightChange(r: JournalRecord): boolean {
  return r.t === 'flags' || r.t === 'recent' || r.t === 'sub' || isIncidental(r);
}

export function userMetacacheDir(dir: string, user: string): string {
  return join(dir, userHashPrefix(user), userKeySegment(user));
}

export function createDurablePersistence(opts: DurableOptions): IndexPersistence {
  const { user, objects, log } = opts;
  const home = userMetacacheDir(opts.dir, user);
  const snapDir = join(home, 'snap');
  const rootPrefix = indexPrefix(user, 'root');
  const writerId = opts.writer ?? { tag: WRITER_TAG, info: WRITER_INFO };
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
  /** Mailbox bundles embedded in the current root bundle (base64), for mailboxes not in `bundles`. */
  let inlined: Record<string, string> = {};
  const inlineMax = opts.config.storage.inlineBundleMax;
  let rootKey: string | null = null;
  let diffKey: string | null = null;
  let uploading: Promise<void> | null = null;
  let closed = false;
  /** After a merge: the heads the next base supersedes, and every key to delete once it is durable. */
  let mergedHeads: string[] | null = null;
  let mergeStale: string[] = [];
  /**
   * Superseded keys under i/root/ not deleted yet (a crash or a failed delete): every base we
   * write lists them as parents until they are gone, or a later base would orphan them and they
   * would look like heads again.
   */
  const carried = new Set<string>();
  /**
   * Superseded roots, their mailbox bundles and others' diffs are deleted only after
   * storage.supersededGraceMs (superseded.ts): the earliest time one may be due, Infinity when none.
   */
  const graceMs = opts.config.storage.supersededGraceMs;
  let sweepDue = Infinity;
  /** Records committed by this process, and how many of them the object store holds (-1: unknown). */
  let committed = 0;
  let remoteUpTo = -1;
  /** whenUploaded() callers: resolved by whichever upload first covers their target. */
  let uploadWaiters: { target: number; resolve: () => void }[] = [];
  function noteRemote(upTo: number): void {
    remoteUpTo = Math.max(remoteUpTo, upTo);
    if (uploadWaiters.length === 0) return;
    const due = uploadWaiters.filter((w) => w.target <= remoteUpTo);
    uploadWaiters = uploadWaiters.filter((w) => w.target > remoteUpTo);
    for (const w of due) w.resolve();
  }
  // storage.upload: diffs between snapshots after N deliveries or a delay after IMAP changes.
  const policy = new UploadPolicy(
    opts.config.storage.upload,
    () => void uploadNow().catch((err) => log?.warn({ err, user }, 'index upload failed; the journal keeps the changes')),
    opts.timers,
  );

  /**
   * One listing of the user's whole prefix: the keys under i/root/ (our newest local copy only
   * when the store has none) and the message keys, which recovery then uses instead of a LIST.
   */
  async function listUser(): Promise<{ roots: string[]; messages: string[]; metadata: string[] }> {
    const remote: string[] = [];
    const messages: string[] = [];
    const metadata: string[] = [];
    const msgPrefix = messagePrefix(user);
    const metaPrefix = metadataPrefix(user);
    for await (const k of objects.list(userPrefix(user))) {
      if (k.startsWith(rootPrefix)) remote.push(k);
      else if (k.startsWith(msgPrefix)) messages.push(k);
      else if (k.startsWith(metaPrefix)) metadata.push(k);
    }
    return { roots: await withLocalFallback(remote), messages, metadata };
  }

  async function withLocalFallback(remote: string[]): Promise<string[]> {
    if (remote.length > 0) return remote;
    let local: string | null = null;
    try {
      for (const f of (await readdir(snapDir)).sort()) if (f.startsWith('root__')) local = rootPrefix + f.slice('root__'.length);
    } catch {
      // no local snapshot
    }
    return local ? [local] : [];
  }

  /** Root bundles read while settling the heads, kept for loading them. */
  const rootCache = new Map<string, RootBundle>();
  async function readRoot(key: string): Promise<RootBundle> {
    let rb = rootCache.get(key);
    if (!rb) rootCache.set(key, (rb = decodeRootBundle(await readBundle(key))));
    return rb;
  }

  /**
   * One head (a root key or a diff key) into `into`: root state, mailbox bundles, then the diff's
   * records through `onRecord`.
   */
  async function loadHead(
    head: string,
    into: UserIndex,
    onRecord: (r: JournalRecord) => void,
  ): Promise<{ root: string; rb: RootBundle; diff: string | null; gen: number; diffOk: boolean }> {
    const info = parseRootKey(head);
    const rb = await readRoot(info.base);
    let gen = rb.gen;
    into.lastUidValidity = rb.root.lastUidValidity;
    for (const s of rb.root.subscriptions) into.subscriptions.add(s);
    for (const g of rb.root.pendingPurge ?? []) into.pendingPurge.add(g);
    await keepLocal(info.base);
    for (const m of rb.root.mailboxes) {
      const key = rb.bundles[m.guid];
      const embedded = rb.inline?.[m.guid];
      let mbIndex: MailboxIndex | null = null;
      if (!m.noSelect) {
        try {
          if (key) {
            mbIndex = decodeMailboxBundle(await readBundle(key));
            await keepLocal(key);
          } else if (typeof embedded === 'string') {
            mbIndex = decodeMailboxBundle(Buffer.from(embedded, 'base64'));
          } else {
            throw new Error('no bundle listed');
          }
        } catch (err) {
          // Degrade, do not lock the user out: an empty index under a new UIDVALIDITY; the
          // message objects come back through recovery with new UIDs.
          log?.error({ err, user, mailbox: m.name, key }, 'mailbox bundle unreadable; mailbox rebuilt from its objects');
          into.lastUidValidity = into.nextUidValidity();
          mbIndex = new MailboxIndex({ guid: m.guid, uidValidity: into.lastUidValidity, uidNext: 1, highestModseq: 1, firstRecentUid: 1 });
          dirty.add(m.guid);
          forceBase = true;
        }
      }
      into.add({ name: m.name, guid: m.guid, specialUse: m.specialUse, noSelect: m.noSelect, index: mbIndex });
    }
    let diffOk = true;
    if (info.isDiff) {
      try {
        const diff = decodeRootDiff(await readBundle(head));
        await keepLocal(head);
        for (const r of diff.records) onRecord(r);
        gen = Math.max(gen, diff.gen);
      } catch (err) {
        // Flag changes since the base may be lost; messages still come back through recovery.
        log?.error({ err, user, key: head }, 'index diff unreadable; using the base bundle alone');
        diffOk = false;
      }
    }
    return { root: info.base, rb, diff: info.isDiff ? head : null, gen, diffOk };
  }

  /** Bundles the running load() fetched from the object store; kept locally once they prove needed. */
  let fetched: Map<string, Buffer> | null = null;

  async function readBundle(key: string): Promise<Buffer> {
    try {
      return await readFile(join(snapDir, localName(key)));
    } catch {
      const data = (await objects.get(key)).data;
      fetched?.set(key, data);
      return data;
    }
  }

  /**
   * A cold load keeps what it fetched in the metacache, as snapshot() does for what it writes: the
   * next load on this backend GETs nothing it already has (written whole, then renamed, so a
   * crash never leaves a torn local copy; the temporary name is not a root__ name).
   */
  async function keepLocal(key: string): Promise<void> {
    const data = fetched?.get(key);
    if (!data) return;
    fetched!.delete(key);
    const tmp = join(snapDir, `.tmp-${localName(key)}`);
    try {
      await writeFile(tmp, data);
      await rename(tmp, join(snapDir, localName(key)));
    } catch (err) {
      log?.warn({ err, user, key }, 'could not keep a fetched bundle in the metacache');
    }
  }

  async function load(): Promise<{ index: UserIndex; fresh: boolean }> {
    await mkdir(snapDir, { recursive: true });
    index = new UserIndex();
    fetched = new Map();
    try {
      return await loadFrom(await listUser());
    } finally {
      fetched = null;
    }
  }

  async function loadFrom(listing: Awaited<ReturnType<typeof listUser>>): Promise<{ index: UserIndex; fresh: boolean }> {
    let fresh = true;
    let coveredGen = 0;
    const keys = listing.roots;
    const { heads, orphans } = keys.length > 0
      ? await resolveHeads(keys, async (k) => (await readRoot(k)).parents ?? null)
      : { heads: [], orphans: [] };
    if (orphans.length > 0) log?.warn({ user, orphans }, 'index diffs whose base is gone are ignored; recovery brings their messages back');
    for (const k of keys) if (!heads.includes(k)) carried.add(k);
    if (carried.size > 0) {
      // A first estimate (roots not read count as newest); the sweep itself reads them all.
      const plan = planSuperseded(keys, (k) => (rootCache.has(k) ? (rootCache.get(k)!.parents ?? null) : undefined), Date.now(), graceMs);
      sweepDue = plan.deletable.length > 0 ? Date.now() : (plan.nextDue ?? Infinity);
    }
    if (heads.length === 1) {
      fresh = false;
      const h = await loadHead(heads[0]!, index, replay);
      rootKey = h.root;
      bundles = { ...h.rb.bundles };
      inlined = { ...(h.rb.inline ?? {}) };
      diffKey = h.diff;
      coveredGen = h.gen;
      if (h.diff && h.diffOk) inDiff = sinceBase.length;
      if (!h.diffOk) {
        rootDirty = true;
        forceBase = true;
      }
    } else if (heads.length > 1) {
      fresh = false;
      const parts: UserIndex[] = [];
      const lifted = new Map<UserIndex, Map<string, Set<number>>>();
      const parentsOf = (k: string) => rootCache.get(k)?.parents;
      for (const head of heads) {
        const part = new UserIndex();
        const recs: JournalRecord[] = [];
        const h = await loadHead(head, part, (r) => {
          part.apply(r);
          recs.push(r);
        });
        coveredGen = Math.max(coveredGen, h.gen);
        parts.push(part);
        mergeStale.push(...Object.values(h.rb.bundles));
        // A diff on a base another head already merged: its changes are newer than that head (rebase.ts).
        if (isBehindAnotherHead(head, heads, parentsOf)) lifted.set(part, touchedRows(recs));
      }
      liftTouchedRows(parts, lifted);
      index = mergeUserIndexes(parts, defaultPlan(log));
      // The next upload writes a full base superseding every head; until then the heads stay.
      mergedHeads = heads;
      mergeStale = [...new Set([...mergeStale, ...keys])];
      for (const e of index.mailboxes.values()) if (e.index) dirty.add(e.guid);
      rootDirty = true;
      forceBase = true;
      log?.warn({ user, heads }, 'several index heads merged');
    }
    rememberMessageListing(index, listing.messages);
    rememberMetadataListing(index, listing.metadata);
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
    const light = opts.config.storage.fsync === 'optimized' && recs.every(isLightChange);
    const done = writer.append(recs, { sync: !light });
    sinceBase.push(...recs);
    committed += recs.length;
    if (sinceBase.length >= opts.config.storage.snapshotEveryChanges && !uploading) {
      policy.uploaded();
      void snapshot().catch((err) => log?.warn({ err, user }, 'index snapshot failed; the journal keeps the changes'));
    }
    if (light) {
      // Answered before it is written; fsynced by the next batch's fsync or within a second (see storage.fsync).
      done.catch((err) => log?.warn({ err, user }, 'journal write of a flag change failed; kept in memory and in the next upload'));
    } else {
      await done;
    }
    policy.noteCommit(recs);
  }

  /** Full snapshot: capture state and switch journals synchronously; upload afterwards. */
  function snapshot(): Promise<void> {
    const coveredGen = gen;
    const encoded: [string, string, Buffer][] = [];
    // Small mailboxes go inside the root bundle (no object, no GET at a cold login); one that
    // grew past the threshold gets its own bundle now, and leaves `inline`.
    const embedded: [string, string][] = [];
    for (const guid of dirty) {
      const e = index.byGuid.get(guid);
      if (!e?.index) continue;
      const data = encodeMailboxBundle(e.index);
      if (data.length <= inlineMax) embedded.push([guid, data.toString('base64')]);
      else encoded.push([guid, bundleKey(user, guid), data]);
    }
    // Unchanged mailboxes that still have a bundle of their own (written before inlining, or
    // before storage.inlineBundleMax was raised) move inline when they fit; only those few rows
    // long are tried (a row is at least MIN_ROW_BYTES encoded), so big ones cost nothing here.
    for (const e of index.mailboxes.values()) {
      if (!e.index || dirty.has(e.guid) || !bundles[e.guid] || e.index.count * MIN_ROW_BYTES > inlineMax) continue;
      const data = encodeMailboxBundle(e.index);
      if (data.length <= inlineMax) embedded.push([e.guid, data.toString('base64')]);
    }
    const nextBundles: Record<string, string> = {};
    const nextInline: Record<string, string> = {};
    for (const e of index.mailboxes.values()) {
      if (!e.index) continue;
      if (bundles[e.guid]) nextBundles[e.guid] = bundles[e.guid]!;
      else if (inlined[e.guid] !== undefined) nextInline[e.guid] = inlined[e.guid]!;
    }
    for (const [guid, key] of encoded) {
      nextBundles[guid] = key;
      delete nextInline[guid];
    }
    for (const [guid, b64] of embedded) {
      nextInline[guid] = b64;
      delete nextBundles[guid];
    }
    const heads = mergedHeads;
    const leftovers = [...carried];
    const parents = [...new Set([...(heads ?? [rootKey, diffKey].filter((k): k is string => !!k)), ...leftovers])];
    const rb: RootBundle = { v: 1, gen: coveredGen, root: index.rootState(), bundles: nextBundles, parents, writer: writerId.info };
    if (Object.keys(nextInline).length > 0) rb.inline = nextInline;
    const newRootKey = bundleKey(user, 'root');
    const captured = sinceBase;
    const upTo = committed;
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
        for (const [guid] of embedded) dirty.add(guid);
        rootDirty = true;
        sinceBase = captured.concat(sinceBase);
        forceBase ||= wasForced;
        throw err;
      }
      noteRemote(upTo);
      // Our previous diff goes at once (the new base holds its records; nobody writes against a
      // diff). The old base, its bundles and what a merge superseded wait for the grace: the other
      // side of a split brain may still write diffs against them (superseded.ts).
      const stale = diffKey ? [diffKey] : [];
      if (rootKey) carried.add(rootKey);
      if (heads && mergedHeads === heads) {
        for (const k of mergeStale) if (k.startsWith(rootPrefix)) carried.add(k);
        mergedHeads = null;
        mergeStale = [];
      }
      if (carried.size > 0) sweepDue = Math.min(sweepDue, Date.now() + graceMs);
      bundles = nextBundles;
      inlined = nextInline;
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
    const upTo = committed;
    const coveredGen = gen;
    const key = diffKeyFor(base, String(Date.now()).padStart(15, '0'), randomBytes(6).toString('hex'), writerId.tag);
    const parents = [base, ...(diffKey ? [diffKey] : [])];
    gen++;
    const rotated = writer!.rotate(join(home, journalName(gen)));
    return run(async () => {
      const data = encodeRootDiff({ v: 1, base, gen: coveredGen, records, parents, writer: writerId.info });
      await objects.put(key, data);
      noteRemote(upTo);
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
    for (const k of new Set(stale)) {
      const gone = await remove(k);
      if (k.startsWith(rootPrefix)) {
        if (gone) carried.delete(k);
        else carried.add(k);
      }
    }
    if (Date.now() >= sweepDue) await sweep();
  }

  async function remove(k: string): Promise<boolean> {
    const gone = await objects.delete(k).then(() => true, (err) => {
      if (isStorageError(err, 'NOT_FOUND')) return true;
      log?.warn({ err, key: k }, 'could not delete an old bundle');
      return false;
    });
    if (gone) await unlink(join(snapDir, localName(k))).catch(() => {});
    return gone;
  }

  /** Delete superseded keys whose grace is over and that no head needs (superseded-sweep.ts). */
  async function sweep(): Promise<void> {
    const now = Date.now();
    try {
      const r = await sweepSuperseded({ rootPrefix, list: (p) => objects.list(p), readRoot, remove, now, graceMs, log, user });
      // Carry what is still listed and superseded; forget what is gone (deleted by us or another backend).
      const still = new Set(r.remaining);
      for (const k of [...carried]) if (!still.has(k)) carried.delete(k);
      sweepDue = r.nextDue ?? Infinity;
    } catch (err) {
      log?.warn({ err, user }, 'superseded index keys not swept; trying again later');
      sweepDue = now + Math.max(graceMs, 60_000);
    }
  }

  /**
   * What the last release does (when storage.upload.atLogout): see uploadNow. Not when all that
   * is new are \Recent claims (every SELECT makes one; losing one only makes mail recent again).
   */
  async function flush(): Promise<void> {
    if (!uploadsAtLogout(opts.config.storage.upload.atLogout, opts.config.storage.driver)) return;
    if (rootKey && !forceBase && sinceBase.slice(inDiff).every((r) => r.t === 'recent' || isIncidental(r))) return;
    await uploadNow();
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
    } else {
      noteRemote(committed); // the newest base/diff holds everything
    }
  }

  /**
   * Resolves once every record committed so far is in the object store, uploading now when
   * needed; rejects when that fails. Message objects are deleted only after this: a backend
   * taking the user over must never load an index that refers to a deleted object.
   */
  async function uploaded(): Promise<void> {
    const target = committed;
    if (remoteUpTo >= target) return;
    await uploadNow();
    if (remoteUpTo < target) throw new StorageError('TEMPORARY', 'the index is not in the object store yet');
  }

  /** Resolves once an upload (by the policy, a flush or close) holds every record committed so far. */
  function whenUploaded(): Promise<void> {
    const target = committed;
    if (remoteUpTo >= target) return Promise.resolve();
    return new Promise((resolve) => uploadWaiters.push({ target, resolve }));
  }

  return {
    load,
    commit,
    flush,
    uploaded,
    whenUploaded,
    async close() {
      if (closed) return;
      policy.stop();
      try {
        await uploadNow();
        // A session that changed nothing uploads nothing: superseded keys past their grace go now.
        if (Date.now() >= sweepDue) await run(sweep);
      } finally {
        closed = true;
        await writer?.close();
      }
    },
  };
}
