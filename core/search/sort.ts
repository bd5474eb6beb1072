/**
 * SORT (RFC 5256 section 3) with the RFC 5957 display keys. Pure: callers hand in each
 * candidate message's sequence number, metadata and header facts (read once per command);
 * the result is the sequence numbers in order. Strings compare with i;unicode-casemap
 * (I18NLEVEL=1, RFC 5255); exact ties fall back to ascending sequence number.
 */
import { baseSubject } from '../mail/base-subject.ts';
import { casemapKey } from './collation.ts';
import { addressDisplayKey, addressMailboxKey, parseSentDate, type HeaderFacts } from './sort-fields.ts';

export const SORT_KEYS = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO'] as const;
export type SortKeyName = (typeof SORT_KEYS)[number];

export interface SortCriterion {
  key: SortKeyName;
  reverse: boolean;
}

export interface SortInput {
  seq: number;
  /** INTERNALDATE, ms. */
  internalDate: number;
  /** RFC822.SIZE. */
  size: number;
  /** Header facts; only needed when a criterion looks at headers. */
  headers: HeaderFacts | null;
}

/** True when the criteria need message headers (ARRIVAL and SIZE come from metadata). */
export function sortNeedsHeaders(criteria: readonly SortCriterion[]): boolean {
  return criteria.some((c) => c.key !== 'ARRIVAL' && c.key !== 'SIZE');
}

/** The sent date (RFC 5256 2.2): Date: in UTC, else the internal date. */
export function sentDate(m: SortInput): number {
  const v = m.headers?.date ?? null;
  return (v !== null ? parseSentDate(v) : null) ?? m.internalDate;
}

type KeyValue = number | Buffer;

function keyValue(m: SortInput, key: SortKeyName): KeyValue {
  const h = m.headers;
  switch (key) {
    case 'ARRIVAL':
      return m.internalDate;
    case 'SIZE':
      return m.size;
    case 'DATE':
      return sentDate(m);
    case 'SUBJECT':
      return casemapKey(h?.subject != null ? baseSubject(h.subject).subject : '');
    case 'FROM':
      return casemapKey(addressMailboxKey(h?.from ?? null));
    case 'TO':
      return casemapKey(addressMailboxKey(h?.to ?? null));
    case 'CC':
      return casemapKey(addressMailboxKey(h?.cc ?? null));
    case 'DISPLAYFROM':
      return casemapKey(addressDisplayKey(h?.from ?? null));
    case 'DISPLAYTO':
      return casemapKey(addressDisplayKey(h?.to ?? null));
  }
}

function compareValues(a: KeyValue, b: KeyValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(a as Buffer, b as Buffer);
}

/** Sorts the messages by the criteria; returns their sequence numbers in order. */
export function sortMessages(messages: readonly SortInput[], criteria: readonly SortCriterion[]): number[] {
  // Compute every key once per message, not once per comparison.
  const rows = messages.map((m) => ({ seq: m.seq, keys: criteria.map((c) => keyValue(m, c.key)) }));
  rows.sort((x, y) => {
    for (let i = 0; i < criteria.length; i++) {
      const d = compareValues(x.keys[i]!, y.keys[i]!);
      if (d !== 0) return criteria[i]!.reverse ? -d : d;
    }
    return x.seq - y.seq;
  });
  return rows.map((r) => r.seq);
}
