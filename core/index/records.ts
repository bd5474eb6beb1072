/**
 * Journal records: every change to a user's index is one of these, applied by
 * `UserIndex.apply` both live and on replay, so replay gives exactly the live state.
 */
import type { SpecialUse } from '../storage/mail-store.ts';
import type { IndexRecord } from './mailbox-index.ts';

export type JournalRecord =
  | { t: 'create'; name: string; guid: string; uidValidity: number; specialUse: SpecialUse | null }
  /** Remove a mailbox; with children it stays as a \Noselect placeholder. */
  | { t: 'delete'; name: string }
  /** Rename a mailbox and its children (never INBOX itself). */
  | { t: 'rename'; from: string; to: string }
  /** INBOX's index moves to `to`; INBOX starts empty under a new GUID and UIDVALIDITY. */
  | { t: 'rename-inbox'; to: string; newGuid: string; uidValidity: number }
  | { t: 'sub'; name: string; on: boolean }
  | { t: 'append'; mb: string; m: IndexRecord }
  /** Absolute new flags of each UID (bits + keyword names), all at one MODSEQ. */
  | { t: 'flags'; mb: string; modseq: number; uids: number[]; bits: number[]; kw: string[][] }
  | { t: 'expunge'; mb: string; modseq: number; uids: number[] }
  /**
   * Objects no mailbox refers to any more: `on` marks them to be deleted (so recovery never
   * brings them back), `off` once they are gone.
   */
  | { t: 'purge'; guids: string[]; on: boolean }
  /** \Recent claims (UIDs below are no longer recent for anyone). */
  | { t: 'recent'; mb: string; firstRecentUid: number };
