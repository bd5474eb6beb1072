/**
 * Typed IMAP commands: the output of the second parse stage (generic tokens → one of these),
 * and the input of the command handlers. Mailbox names here are already decoded from modified
 * UTF-7 (or UTF-8 under UTF8=ACCEPT) to plain UTF-8 strings.
 */
import type { SearchKey, SeqSet } from '../../../core/search/criteria.ts';
import type { QresyncParams } from './parse-qresync.ts';
import type { SectionSpec } from '../../../core/mail/types.ts';
import type { SortCriterion } from '../../../core/search/sort.ts';
import type { ThreadAlgorithm } from '../../../core/search/thread.ts';

export type { SeqSet, SeqRange, SearchKey } from '../../../core/search/criteria.ts';

/** One event-group of NOTIFY SET (RFC 5465): filter (upper case), its mailboxes, its events. */
export interface NotifyGroup {
  filter: string;
  /** SUBTREE / MAILBOXES arguments (decoded names); empty for the other filters. */
  mailboxes: string[];
  /** Event names as sent (case kept for BADEVENT); empty for NONE. */
  events: string[];
  /** MessageNew's fetch-att list, when given. */
  fetchAttributes: FetchAttribute[] | null;
}

export interface NotifySet {
  /** The STATUS option: send STATUS for the watched mailboxes right away. */
  status: boolean;
  groups: NotifyGroup[];
}

export type FetchAttribute =
  | { type: 'UID' }
  | { type: 'FLAGS' }
  | { type: 'INTERNALDATE' }
  | { type: 'RFC822.SIZE' }
  | { type: 'ENVELOPE' }
  | { type: 'BODY' } // non-extensible BODYSTRUCTURE
  | { type: 'BODYSTRUCTURE' }
  | { type: 'RFC822' } // = BODY[] (sets \Seen)
  | { type: 'RFC822.HEADER' } // = BODY.PEEK[HEADER]
  | { type: 'RFC822.TEXT' } // = BODY[TEXT] (sets \Seen)
  | { type: 'MODSEQ' }
  /** RFC 8514: when the message was saved into this mailbox. */
  | { type: 'SAVEDATE' }
  /** OBJECTID (RFC 8474). */
  | { type: 'EMAILID' }
  | { type: 'THREADID' }
  /**
   * PREVIEW (RFC 8970, `PREVIEW` or `PREVIEW (LAZY)`: answered `PREVIEW "text"`) and Dovecot's
   * draft-era `SNIPPET (FUZZY)` / `PREVIEW (FUZZY)` (answered `SNIPPET (FUZZY "text")`).
   */
  | { type: 'PREVIEW'; item: 'PREVIEW' | 'SNIPPET'; fuzzy: boolean }
  /** RFC 3516 BINARY[part]<partial> / BINARY.PEEK[...] (`peek` false sets \Seen): decoded content. */
  | { type: 'BINARY[]'; peek: boolean; part: number[]; partial: { start: number; length: number } | null }
  /** RFC 3516 BINARY.SIZE[part]: the decoded size. */
  | { type: 'BINARY.SIZE'; part: number[] }
  /** BODY[section]<partial> or BODY.PEEK[...]; `peek` false sets \Seen. */
  | {
      type: 'BODY[]';
      peek: boolean;
      section: SectionSpec;
      partial: { start: number; length: number } | null;
      /** The section text exactly as the response must echo it, e.g. `HEADER.FIELDS (From To)`. */
      label: string;
    };

export interface StatusItems {
  /** MAILBOXID: RFC 8474; DELETED: RFC 9051 (messages with \Deleted); SIZE: RFC 8438; APPENDLIMIT: RFC 7889; DELETED-STORAGE: RFC 9208 (KiB freed by EXPUNGE). */
  items: Array<'MESSAGES' | 'RECENT' | 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN' | 'SIZE' | 'HIGHESTMODSEQ' | 'MAILBOXID' | 'DELETED' | 'APPENDLIMIT' | 'DELETED-STORAGE'>;
}

export interface AppendMessage {
  flags: string[];
  internalDate: Date | null;
  /** The literal's bytes (empty when `catenate` is set). */
  message: Buffer;
  /** CATENATE (RFC 4469): the parts the message is built from, in order. */
  catenate?: CatenatePart[];
}

/** A CATENATE part: literal text, or an IMAP URL (RFC 5092) the handler resolves. */
export type CatenatePart = { kind: 'text'; data: Buffer } | { kind: 'url'; url: string };

export type ImapCommand =
  // any state
  | { name: 'CAPABILITY' }
  | { name: 'NOOP' }
  | { name: 'LOGOUT' }
  | { name: 'ID'; params: Record<string, string | null> | null }
  // not authenticated
  | { name: 'STARTTLS' }
  | { name: 'LOGIN'; user: string; password: string }
  /** initial: SASL-IR initial response (base64, '=' for empty), null when absent. */
  | { name: 'AUTHENTICATE'; mechanism: string; initial: string | null }
  // authenticated
  | { name: 'ENABLE'; capabilities: string[] }
  /** RFC 5465 NOTIFY: `set` null is NOTIFY NONE. */
  | { name: 'NOTIFY'; set: NotifySet | null }
  /** qresync: RFC 7162 3.2.5 parameter (the handler checks that QRESYNC was enabled). */
  | { name: 'SELECT'; mailbox: string; condstore: boolean; qresync?: QresyncParams }
  | { name: 'EXAMINE'; mailbox: string; condstore: boolean; qresync?: QresyncParams }
  | { name: 'CREATE'; mailbox: string; specialUse: string[] }
  | { name: 'DELETE'; mailbox: string }
  | { name: 'RENAME'; from: string; to: string }
  | { name: 'SUBSCRIBE'; mailbox: string }
  | { name: 'UNSUBSCRIBE'; mailbox: string }
  /**
   * LIST, including LIST-EXTENDED selection/return options used by LIST-STATUS and SPECIAL-USE.
   * patterns: one or more mailbox patterns (still with % and * wildcards, decoded to UTF-8).
   */
  | {
      name: 'LIST';
      reference: string;
      patterns: string[];
      selection: Array<'SUBSCRIBED' | 'REMOTE' | 'RECURSIVEMATCH' | 'SPECIAL-USE'>;
      /** MYRIGHTS: LIST-MYRIGHTS (RFC 8440). */
      return: Array<'SUBSCRIBED' | 'CHILDREN' | 'SPECIAL-USE' | 'MYRIGHTS'>;
      returnStatus: StatusItems | null;
    }
  | { name: 'LSUB'; reference: string; pattern: string }
  | { name: 'NAMESPACE' }
  | ({ name: 'STATUS'; mailbox: string } & StatusItems)
  /** One or more messages (MULTIAPPEND later); issue 2 needs one. */
  | { name: 'APPEND'; mailbox: string; messages: AppendMessage[] }
  | { name: 'IDLE' }
  /** RFC 4978; the mechanism as sent (upper case), only DEFLATE is supported. */
  | { name: 'COMPRESS'; mechanism: string }
  // selected
  | { name: 'CHECK' }
  | { name: 'CLOSE' }
  | { name: 'UNSELECT' }
  | { name: 'EXPUNGE' }
  | { name: 'UID EXPUNGE'; set: SeqSet }
  /** RFC 5256 SORT; `returnOptions` non-null is ESORT (RFC 5267), answered with ESEARCH. */
  | { name: 'SORT'; uid: boolean; criteria: SortCriterion[]; charset: string; search: SearchKey; returnOptions: string[] | null }
  /** RFC 5256 THREAD. */
  | { name: 'THREAD'; uid: boolean; algorithm: ThreadAlgorithm; charset: string; search: SearchKey }
  | {
      name: 'SEARCH';
      uid: boolean;
      charset: string | null;
      criteria: SearchKey;
      returnOptions: string[] | null;
      /**
       * Set when a `SEARCH RETURN (... SAVE ...)` could not be parsed: the handler answers this
       * error and empties the saved result, as RFC 5182 requires for a failed SEARCH with SAVE.
       */
      failure?: { response: 'BAD' | 'NO'; code: string | null; text: string };
      /** RETURN (PARTIAL low:high) of RFC 5267 (returnOptions then holds 'PARTIAL'). */
      partial?: { low: number; high: number };
    }
  | {
      name: 'FETCH';
      uid: boolean;
      set: SeqSet;
      attributes: FetchAttribute[];
      /** CONDSTORE FETCH modifier CHANGEDSINCE. */
      changedSince: number | null;
      /** QRESYNC UID FETCH modifier VANISHED (only with CHANGEDSINCE, only on UID FETCH). */
      vanished?: boolean;
    }
  | {
      name: 'STORE';
      uid: boolean;
      set: SeqSet;
      operation: 'add' | 'remove' | 'replace';
      silent: boolean;
      flags: string[];
      unchangedSince: number | null;
    }
  | { name: 'COPY'; uid: boolean; set: SeqSet; mailbox: string }
  /** RFC 5267 4.3.5: stop the updates of the searches with these tags. */
  | { name: 'CANCELUPDATE'; tags: string[] }
  | { name: 'MOVE'; uid: boolean; set: SeqSet; mailbox: string }
  /** RFC 8508: replace message `target` (sequence number or UID; '*' the last) by `message`. */
  | { name: 'REPLACE'; uid: boolean; target: number | '*'; mailbox: string; message: AppendMessage }
  /** QUOTA (RFC 9208). */
  | { name: 'GETQUOTA'; root: string }
  | { name: 'GETQUOTAROOT'; mailbox: string }
  | { name: 'SETQUOTA'; root: string; limits: Array<{ resource: string; limit: number }> }
  /** METADATA (RFC 5464); mailbox "" is the server; entry names are lower case. */
  | { name: 'GETMETADATA'; mailbox: string; entries: string[]; maxSize: number | null; depth: '0' | '1' | 'infinity' }
  | { name: 'SETMETADATA'; mailbox: string; changes: Array<{ entry: string; value: Buffer | null }> }
  /** ACL (RFC 4314); `rights` of SETACL keeps its leading + or - modifier. */
  | { name: 'SETACL'; mailbox: string; identifier: string; rights: string }
  | { name: 'DELETEACL'; mailbox: string; identifier: string }
  | { name: 'GETACL'; mailbox: string }
  | { name: 'LISTRIGHTS'; mailbox: string; identifier: string }
  | { name: 'MYRIGHTS'; mailbox: string };

export type ImapCommandName = ImapCommand['name'];

/** A complete tagged request as the receiver hands it to the session. */
export interface ImapRequest {
  tag: string;
  command: ImapCommand;
}
