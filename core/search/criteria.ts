/**
 * Protocol-independent search criteria: what IMAP SEARCH parses into and what the evaluator
 * (and later FTS and the doveadm-style query language) consume.
 */

/** A range of a sequence set; '*' stands for the highest number in the mailbox. */
export interface SeqRange {
  start: number | '*';
  end: number | '*';
}
/**
 * A sequence set. `saved` marks SEARCHRES's `$` (RFC 5182): the result saved by the last
 * `SEARCH RETURN (SAVE)`; such a set has no ranges and the session resolves it.
 */
export type SeqSet = SeqRange[] & { saved?: true };

export type DateOp = 'before' | 'on' | 'since';

export type SearchKey =
  | { type: 'all' }
  /** System flag (with backslash) or keyword; `set` false is UNSEEN, UNKEYWORD, ... */
  | { type: 'flag'; flag: string; set: boolean }
  | { type: 'recent'; set: boolean } // RECENT / NOT RECENT
  | { type: 'new' } // RECENT UNSEEN
  | { type: 'old' } // NOT RECENT
  | { type: 'seq'; set: SeqSet }
  | { type: 'uid'; set: SeqSet }
  /** HEADER name value; FROM/TO/CC/BCC/SUBJECT are headers too. Empty value: header present. */
  | { type: 'header'; name: string; value: string }
  | { type: 'body'; value: string }
  | { type: 'text'; value: string }
  /** Internal date (BEFORE/ON/SINCE) or Date: header (SENT*); date is YYYY-MM-DD. */
  | { type: 'date'; field: 'internal' | 'sent' | 'save'; op: DateOp; date: string }
  /** WITHIN (RFC 5032): OLDER/YOUNGER in seconds, against internal date. */
  | { type: 'within'; op: 'older' | 'younger'; seconds: number }
  | { type: 'size'; op: 'larger' | 'smaller'; bytes: number }
  | { type: 'modseq'; modseq: number }
  /** OBJECTID (RFC 8474): the message's EMAILID / THREADID. */
  | { type: 'emailid'; id: string }
  | { type: 'threadid'; id: string }
  | { type: 'not'; key: SearchKey }
  | { type: 'or'; left: SearchKey; right: SearchKey }
  | { type: 'and'; keys: SearchKey[] };
