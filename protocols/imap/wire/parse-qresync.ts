/**
 * RFC 7162 3.2.5: the QRESYNC parameter of SELECT/EXAMINE,
 * `QRESYNC (uidvalidity mod-sequence-value [known-uids] [(known-sequence-set known-uid-set)])`.
 * Whether QRESYNC was enabled is the handler's business; this only checks the shape.
 */
import type { SeqSet } from '../../../core/search/criteria.ts';
import { Args, CommandError, parseSeqSet } from './parse-args.ts';

export interface QresyncParams {
  uidValidity: number;
  /** The client's last known HIGHESTMODSEQ (>= 1). */
  modseq: number;
  /** UIDs the client knows (null: everything up to the highest UID). */
  knownUids: SeqSet | null;
  /** Pairs of sequence numbers and UIDs the client knows; null when absent. */
  seqMatch: { seqs: SeqSet; uids: SeqSet } | null;
}

/** Reads the list that follows the QRESYNC keyword. */
export function parseQresyncParam(params: Args): QresyncParams {
  const a = params.sub(params.list('QRESYNC parameters'));
  const uidValidity = a.nzNumber('QRESYNC uidvalidity');
  const modseq = a.modseq('QRESYNC mod-sequence');
  if (modseq === 0) throw new CommandError('Invalid QRESYNC mod-sequence: must not be 0');
  let knownUids: SeqSet | null = null;
  let seqMatch: QresyncParams['seqMatch'] = null;
  const next = a.peek();
  if (next && next.type === 'atom') knownUids = plainSet(a.atom('QRESYNC known-uids'), 'QRESYNC known-uids');
  if (a.more()) {
    const m = a.sub(a.list('QRESYNC sequence match data'));
    const seqs = plainSet(m.atom('QRESYNC known-sequence-set'), 'QRESYNC known-sequence-set');
    const uids = plainSet(m.atom('QRESYNC known-uid-set'), 'QRESYNC known-uid-set');
    m.end();
    if (count(seqs) !== count(uids)) throw new CommandError('QRESYNC sequence match sets differ in size');
    seqMatch = { seqs, uids };
  }
  a.end();
  return { uidValidity, modseq, knownUids, seqMatch };
}

/** A sequence set without `$` (SEARCHRES has no meaning here). */
function plainSet(text: string, what: string): SeqSet {
  const set = parseSeqSet(text, what);
  if (set.saved) throw new CommandError(`Invalid ${what}: $ is not allowed`);
  return set;
}

/** Numbers a set names ('*' ranges count as unknown: no size check then). */
function count(set: SeqSet): number {
  let n = 0;
  for (const r of set) {
    if (r.start === '*' || r.end === '*') return -1;
    n += Math.abs(r.end - r.start) + 1;
  }
  return n;
}
