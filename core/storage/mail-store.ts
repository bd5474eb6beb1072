/**
 * The mail store as the protocols see it. Handlers talk to these interfaces only; they never
 * touch an ObjectStore, a file or a socket. One `UserMailStore` exists per user per process
 * (reference counted), shared by all of that user's IMAP, POP3 and LMTP sessions, so sessions
 * of one user see each other's changes through it.
 *
 * Names are full mailbox names in UTF-8 with '/' as the hierarchy delimiter; `INBOX` is
 * case-insensitive and always exists. Conversion to modified UTF-7 is the IMAP layer's job.
 * Flags are IMAP flag strings: system flags with their backslash (`\Seen`, `\Answered`,
 * `\Flagged`, `\Deleted`, `\Draft`) and keywords as atoms. `\Recent` is never stored; views
 * report it per session.
 * Every error thrown is a StorageError (core/storage/errors.ts).
 */

import type { HeaderField } from '../mail/headers.ts';

export const HIERARCHY_DELIMITER = '/';

export type SpecialUse = '\\Drafts' | '\\Sent' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';

export interface MailboxInfo {
  name: string;
  guid: string;
  specialUse: SpecialUse | null;
  subscribed: boolean;
  /** True for a placeholder kept because it has children but was deleted (\Noselect). */
  noSelect: boolean;
}

export interface MailboxStatus {
  messages: number;
  /** Messages no session has yet seen as \Recent. */
  recent: number;
  uidNext: number;
  uidValidity: number;
  unseen: number;
  /** Sum of message sizes in bytes. */
  size: number;
  highestModseq: number;
}

/** One message as the index knows it; materialized on demand from typed-array columns. */
export interface MessageMeta {
  uid: number;
  guid: string;
  /** System flags and keywords, without \Recent. */
  flags: string[];
  /** Internal date, ms since epoch. */
  internalDate: number;
  /** When it was saved into this mailbox, ms since epoch. */
  saveDate: number;
  /** RFC822.SIZE: bytes of the stored message with CRLF line ends. */
  size: number;
  modseq: number;
  /** POP3 UIDL: fixed at first save, never reused. */
  pop3Uidl: string;
}

export interface AppendOptions {
  flags?: string[];
  internalDate?: Date;
}

export interface AppendResult {
  uidValidity: number;
  uid: number;
  guid: string;
}

export interface CopyResult {
  uidValidity: number;
  /** Source UIDs in the order they were copied, and the matching new UIDs. */
  sourceUids: number[];
  destUids: number[];
}

export type StoreOperation = 'add' | 'remove' | 'replace';

export interface StoreResult {
  /** UIDs whose flags changed (their new flags are visible through the view). */
  changed: number[];
  /** UIDs refused by UNCHANGEDSINCE (CONDSTORE; empty when not used). */
  failedUnchangedSince: number[];
}

/**
 * What changed since the view last synced, already applied to the view when returned.
 * `expunged` holds sequence numbers in the order they must be reported (RFC 3501: each
 * EXPUNGE renumbers, so descending order is reported as is).
 */
export interface ViewUpdate {
  expunged: number[];
  /** The UIDs of `expunged`, in the same order (QRESYNC reports VANISHED by UID). */
  expungedUids?: number[];
  /** Present when the message count grew: the new EXISTS. */
  exists: number | null;
  /** Present when the recent count changed. */
  recent: number | null;
  /** Sequence numbers (after the expunges above) whose flags changed by another session. */
  flagsChanged: number[];
}

/**
 * A session's window on a selected mailbox: a stable sequence-number mapping that only
 * moves when the session calls `sync()` (so EXPUNGE is reported only where the protocol allows).
 * Sequence numbers are 1-based.
 */
export interface MailboxView {
  readonly name: string;
  readonly guid: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
  /** Messages in this view (EXISTS as the session knows it). */
  count(): number;
  uidAt(seq: number): number;
  /** 0 when the UID is not in the view. */
  seqOfUid(uid: number): number;
  /** Metadata as of this view (flags reflect the latest synced state). */
  meta(seq: number): MessageMeta;
  /** \Recent for this session. */
  isRecent(seq: number): boolean;
  recentCount(): number;
  uidNext(): number;
  highestModseq(): number;
  /**
   * QRESYNC (RFC 7162): UIDs expunged at a MODSEQ above `modseq`, as flat inclusive ranges
   * [from, to, from, to, ...]. `exact` false: the record no longer reaches back that far and
   * the ranges are incomplete (the caller then treats every known UID not present as gone).
   * Optional so simple test fakes need not implement it (absent means never exact).
   */
  expungedSince?(modseq: number): { ranges: number[]; exact: boolean };
  /** Raw message bytes (CRLF), from the local cache or the object store. */
  read(seq: number): Promise<Buffer>;
  /**
   * The index's header cache for the message: lowercase field name → raw (unfolded, not
   * RFC 2047-decoded) values, for From, To, Cc, Bcc, Subject, Date, Message-ID, In-Reply-To and
   * References only (CACHED_HEADER_NAMES in core/index/header-cache.ts); a name absent from the
   * map means the message has no such field. null when not cached. Optional (test fakes).
   */
  cachedHeaders?(seq: number): Map<string, string[]> | null;
  /**
   * The header fields IMAP ENVELOPE reads, from the index's header cache; null when the cache
   * does not hold them all (the caller then reads the message). Optional (test fakes, and views
   * of someone else's mailbox, which must check the read right on the message itself).
   */
  envelopeFields?(seq: number): HeaderField[] | null;
  /** Change flags of the given UIDs. `unchangedSince` is CONDSTORE's UNCHANGEDSINCE. */
  store(uids: number[], op: StoreOperation, flags: string[], unchangedSince?: number): Promise<StoreResult>;
  /** Remove messages flagged \Deleted (only those in `uids` when given). Returns expunged UIDs. */
  expunge(uids?: number[]): Promise<number[]>;
  copy(uids: number[], destination: string): Promise<CopyResult>;
  /** COPY + expunge of the sources, atomic as far as other sessions can tell. */
  move(uids: number[], destination: string): Promise<CopyResult>;
  /** Apply changes made by other sessions (and this one) to the view; see ViewUpdate. */
  sync(): ViewUpdate;
  /** Called (without arguments) when something changed that sync() would report. Returns an unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Deselect. Releases the \Recent claim and listeners. */
  close(): Promise<void>;
}

/** What changed in a mailbox, for the user-level change feed (NOTIFY, RFC 5465). */
export type MailboxChangeKind = 'messages' | 'flags' | 'list' | 'subscription';

/** `oldName` is set for a rename (`name` is then the new name). */
export type MailboxChangeListener = (name: string, kind: MailboxChangeKind, oldName?: string) => void;

export interface UserMailStore {
  /** The mailbox owner. */
  readonly user: string;
  /**
   * Who acts through this handle (default: the owner). Every operation checks this actor's
   * rights (RFC 4314) in the store: NOT_FOUND without `l`, NO_PERMISSION for another missing
   * right. Optional so that test doubles need not implement it.
   */
  readonly actor?: string;
  listMailboxes(): Promise<MailboxInfo[]>;
  createMailbox(name: string, opts?: { specialUse?: SpecialUse }): Promise<void>;
  /** Fails on INBOX. A mailbox with children becomes \Noselect (its messages are removed). */
  deleteMailbox(name: string): Promise<void>;
  /** Renames the mailbox and its children. Renaming INBOX moves its messages into a new mailbox. */
  renameMailbox(from: string, to: string): Promise<void>;
  setSubscribed(name: string, subscribed: boolean): Promise<void>;
  status(name: string): Promise<MailboxStatus>;
  append(name: string, raw: Buffer, opts?: AppendOptions): Promise<AppendResult>;
  /** SELECT (readOnly false) or EXAMINE (readOnly true). */
  openMailbox(name: string, opts: { readOnly: boolean }): Promise<MailboxView>;
  /**
   * Exclusive lock for a POP3 session on a mailbox. Fails with IN_USE when held.
   * The returned function releases it.
   */
  lockExclusive(name: string, owner: string): Promise<() => void>;
  /** Storage used by this user, for quota. */
  usage(): Promise<{ bytes: number; messages: number }>;
  /**
   * METADATA (RFC 5464) entries of a mailbox, or of the server (the user's own) when `mailbox`
   * is null. Entry names are lower case (`/private/...`, `/shared/...`). NOT_FOUND for a
   * missing mailbox. Optional so that test doubles need not implement it.
   */
  getMetadata?(mailbox: string | null): Promise<Map<string, Buffer>>;
  /**
   * Set (value) or remove (null) entries, all or none: TOO_BIG when a value exceeds
   * limits.metadataValueSize, LIMIT when the scope would exceed limits.metadataEntries.
   */
  setMetadata?(mailbox: string | null, changes: Array<{ entry: string; value: Buffer | null }>): Promise<void>;
  /**
   * ACL (RFC 4314) entries of a mailbox: identifier (or `-identifier`) -> rights letters, the
   * owner's implicit full rights not included. NOT_FOUND for a missing mailbox.
   */
  getAcl?(mailbox: string): Promise<Map<string, string>>;
  /** Set (rights, canonical letters; '' keeps an empty entry) or remove (null) one identifier's entry. */
  setAcl?(mailbox: string, identifier: string, rights: string | null): Promise<void>;
  /** The rights `identifier` (default: the owner) has on the mailbox; see core/storage/acl.ts. */
  myRights?(mailbox: string, identifier?: string): Promise<string>;
  /** NOT_FOUND unless `identifier` has `l`, NO_PERMISSION unless it has every right in `needed`. */
  requireRights?(mailbox: string, identifier: string, needed: string): Promise<void>;
  /**
   * The user-level change feed: called after any session of this user changed a mailbox's
   * messages or flags, the mailbox list or a subscription. Optional (test doubles). Returns an
   * unsubscribe.
   */
  onMailboxChange?(listener: MailboxChangeListener): () => void;
  /**
   * Mark a mailbox read-only for everyone, the owner included (rights `lr` at most): what the
   * vault's namespace needs. Only the owner's handle may call it.
   */
  setReadOnlyVault?(mailbox: string, on: boolean): Promise<void>;
  /** Drop this reference; the last one flushes and unloads the user. */
  release(): Promise<void>;
}

export interface MailStoreProvider {
  /**
   * Open (or share) the user's store, acting as `opts.actor` (default: the user, who owns every
   * mailbox there). Each call must be paired with release().
   */
  openUser(user: string, opts?: { actor?: string }): Promise<UserMailStore>;
  /** Flush journals and snapshots of every open user; used at shutdown. */
  close(): Promise<void>;
}
