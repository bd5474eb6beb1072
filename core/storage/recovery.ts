/**
 * Reconciling the index with the message objects: objects no index knows (delivered, then the
 * journal record was lost) are added once, by GUID; objects no mailbox refers to any more are
 * deleted.
 */
import type { Logger } from 'pino';
import { parseFlags } from '../index/flags.ts';
import { takeMessageListing } from '../index/heads-listing.ts';
import type { JournalRecord } from '../index/records.ts';
import type { UserIndex } from '../index/user-index.ts';
import { isGuid, messageKey, messagePrefix } from './keys.ts';
import { normalizeMailboxName } from './mailbox-names.ts';
import { decodeMessageHeader, metaToHeader, type MessageHeader } from './message-object.ts';
import type { ObjectStore } from './object-store.ts';

/** The parts of the user store recovery needs. */
export interface RecoveryHost {
  readonly user: string;
  readonly index: UserIndex;
  readonly objects: ObjectStore;
  commit(recs: JournalRecord[]): Promise<void>;
  createRecord(name: string, specialUse: null, pending: JournalRecord[]): JournalRecord & { t: 'create' };
  /** Resolves once the index (with its purge marks) is in the object store; see purgeObjects. */
  indexUploaded?(): Promise<void>;
}

/** Every message GUID referenced by any mailbox (as hex). */
export function referencedGuids(index: UserIndex): Set<string> {
  const out = new Set<string>();
  for (const e of index.mailboxes.values()) {
    const idx = e.index;
    if (!idx) continue;
    for (let i = 0; i < idx.count; i++) out.add(idx.guidAt(i));
  }
  return out;
}

/** Read the recovery header of a message object: metadata when complete, else the object. */
export async function readMessageHeader(objects: ObjectStore, key: string): Promise<MessageHeader | null> {
  const info = await objects.head(key);
  if (!info) return null;
  const fromMeta = metaToHeader(info.meta);
  if (fromMeta && Number.isFinite(fromMeta.size)) return fromMeta;
  const { data } = await objects.get(key);
  return decodeMessageHeader(data);
}

export async function recoverUnindexedMessages(host: RecoveryHost, objects: ObjectStore, log?: Logger): Promise<number> {
  const known = referencedGuids(host.index);
  const prefix = messagePrefix(host.user);
  const found: MessageHeader[] = [];
  // Right after load the listing is already there (one LIST per login); later runs list again.
  const keys: AsyncIterable<string> | Iterable<string> = takeMessageListing(host.index) ?? objects.list(prefix);
  for await (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const guid = key.slice(prefix.length);
    if (!isGuid(guid) || known.has(guid) || host.index.pendingPurge.has(guid)) continue;
    try {
      const h = await readMessageHeader(objects, key);
      if (h && h.guid === guid) found.push(h);
    } catch (err) {
      log?.warn({ err, key }, 'unreadable message object skipped in recovery');
    }
  }
  if (found.length === 0) return 0;
  // Oldest first, so UIDs follow the order the messages were saved in.
  found.sort((a, b) => a.saveDate - b.saveDate || (a.guid < b.guid ? -1 : 1));
  const recs: JournalRecord[] = [];
  const nextUid = new Map<string, number>();
  const nextModseq = new Map<string, number>();
  for (const h of found) {
    const mb = pickMailbox(host, h, recs);
    const idx = host.index.byGuid.get(mb)?.index;
    const uid = nextUid.get(mb) ?? idx?.uidNext ?? 1;
    nextUid.set(mb, uid + 1);
    const modseq = nextModseq.get(mb) ?? (idx?.highestModseq ?? 1) + 1;
    nextModseq.set(mb, modseq);
    let flags;
    try {
      flags = parseFlags(h.flags);
    } catch {
      flags = { bits: 0, keywords: [] };
    }
    recs.push({
      t: 'append', mb,
      m: { uid, guid: h.guid, bits: flags.bits, keywords: flags.keywords, internalDate: h.internalDate, saveDate: h.saveDate, size: h.size, modseq, pop3Uidl: h.pop3Uidl || h.guid },
    });
  }
  await host.commit(recs);
  log?.info({ user: host.user, count: found.length }, 'added message objects missing from the index');
  return found.length;
}

/** Mailbox (GUID) a recovered message goes to: its own, else one of that name, else INBOX. */
function pickMailbox(host: RecoveryHost, h: MessageHeader, pending: JournalRecord[]): string {
  const byGuid = host.index.byGuid.get(h.mailboxGuid);
  if (byGuid?.index) return byGuid.guid;
  let name: string | null = null;
  try {
    name = h.mailboxName ? normalizeMailboxName(h.mailboxName) : null;
  } catch {
    name = null;
  }
  if (name) {
    const e = host.index.get(name);
    if (e?.index) return e.guid;
    const planned = pending.find((r) => r.t === 'create' && r.name === name);
    if (planned && planned.t === 'create') return planned.guid;
    if (!e) {
      // The mailbox is gone from the index (lost root): bring it back under its old GUID.
      const c = host.createRecord(name, null, pending);
      if (h.mailboxGuid && !host.index.byGuid.has(h.mailboxGuid) && /^[0-9a-f]{32}$/.test(h.mailboxGuid)) c.guid = h.mailboxGuid;
      pending.push(c);
      host.index.apply(c);
      return c.guid;
    }
  }
  return host.index.selectable('INBOX').guid;
}

/**
 * Delete objects marked for purge, then unmark them. A crash in between only repeats the
 * deletes at the next load: deleting a missing object is not an error. `marksUploaded`: the
 * caller already waited for an upload holding these marks (no upload is forced here).
 */
export async function purgeObjects(host: RecoveryHost, guids: string[], log?: Logger, opts: { marksUploaded?: boolean } = {}): Promise<void> {
  if (guids.length === 0) return;
  // The expunge must reach the shared index first: deleted earlier, a backend taking the user
  // over (this one killed) would load an index still referring to the object.
  try {
    if (!opts.marksUploaded) await host.indexUploaded?.();
  } catch (err) {
    log?.warn({ err, user: host.user }, 'index upload failed; unreferenced objects kept (marked) for the next load');
    return;
  }
  const done: string[] = [];
  for (const g of guids) {
    try {
      await host.objects.delete(messageKey(host.user, g));
      done.push(g);
    } catch (err) {
      log?.warn({ err, guid: g }, 'could not delete an unreferenced message object; kept for the next load');
    }
  }
  if (done.length > 0) await host.commit([{ t: 'purge', guids: done, on: false }]);
}
