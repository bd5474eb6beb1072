/**
 * ESEARCH responses (RFC 4731) and the search result options: MIN, MAX, ALL, COUNT, plus the
 * MODSEQ item of RFC 7162 3.1.5 when the criteria used MODSEQ. Other commands answering with
 * ESEARCH (ESORT, CONTEXT) reuse `compressSet` and `esearchLine`.
 */

/** `2:4,8` for ascending numbers [2, 3, 4, 8]; duplicates are tolerated. */
export function compressSet(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && (sorted[i + 1] === end + 1 || sorted[i + 1] === end)) end = sorted[++i]!;
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}

export interface EsearchItems {
  min?: number;
  max?: number;
  /** Ascending numbers; written compressed. */
  all?: readonly number[];
  count?: number;
  modseq?: number;
  /** RFC 5267 PARTIAL: the requested range and the results in it (ascending). */
  partial?: { low: number; high: number; numbers: readonly number[] };
}

/**
 * `ESEARCH (TAG "t") [UID] MIN a MAX b ALL set COUNT n MODSEQ m` without the leading `* `.
 * Items left undefined (or an empty ALL) are omitted, as RFC 4731 says for an empty result.
 */
export function esearchLine(tag: string, uid: boolean, items: EsearchItems): string {
  // Tags cannot contain `"` or `\` (see extractTag), so quoting needs no escapes.
  let line = `ESEARCH (TAG "${tag}")`;
  if (uid) line += ' UID';
  if (items.min !== undefined) line += ` MIN ${items.min}`;
  if (items.max !== undefined) line += ` MAX ${items.max}`;
  if (items.all !== undefined && items.all.length > 0) line += ` ALL ${compressSet(items.all)}`;
  if (items.partial !== undefined) {
    const { low, high, numbers } = items.partial;
    line += ` PARTIAL (${low}:${high} ${numbers.length > 0 ? compressSet(numbers) : 'NIL'})`;
  }
  if (items.count !== undefined) line += ` COUNT ${items.count}`;
  if (items.modseq !== undefined) line += ` MODSEQ ${items.modseq}`;
  return line;
}

export type ResultOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

export interface SearchOutcome {
  /** The ESEARCH items to send, or null when no ESEARCH response is due (SAVE alone). */
  items: EsearchItems | null;
  /** Positions (indexes into the matches) the SAVE option keeps. */
  saved: number[] | null;
}

/**
 * Applies result options to the ascending matches. `modseqOf` gives a match's MODSEQ when the
 * criteria used MODSEQ (else null). RETURN () means ALL (RFC 4731 3.1).
 */
export function applyResultOptions(
  options: readonly string[],
  matches: readonly number[],
  modseqOf: ((index: number) => number) | null,
  partial?: { low: number; high: number },
): SearchOutcome {
  // CONTEXT is a hint and UPDATE concerns later changes: alone they still mean ALL (as Dovecot).
  const result = options.filter((o) => o !== 'CONTEXT' && o !== 'UPDATE');
  const opts = new Set(result.length === 0 ? ['ALL'] : result);
  const n = matches.length;
  const minMaxOnly = !opts.has('ALL') && !opts.has('COUNT') && !opts.has('PARTIAL');
  // RFC 5182 2.1: with MIN and/or MAX alone, `$` holds just those messages; else all matches.
  let saved: number[] | null = null;
  if (opts.has('SAVE')) {
    if (minMaxOnly && (opts.has('MIN') || opts.has('MAX'))) {
      saved = [];
      if (n > 0 && opts.has('MIN')) saved.push(0);
      if (n > 0 && opts.has('MAX') && !(opts.has('MIN') && n === 1)) saved.push(n - 1);
    } else saved = matches.map((_, i) => i);
  }
  // SAVE alone suppresses the ESEARCH response.
  if (opts.size === 1 && opts.has('SAVE')) return { items: null, saved };

  const items: EsearchItems = {};
  if (opts.has('MIN') && n > 0) items.min = matches[0]!;
  if (opts.has('MAX') && n > 0) items.max = matches[n - 1]!;
  if (opts.has('ALL')) items.all = matches;
  if (opts.has('COUNT')) items.count = n;
  if (opts.has('PARTIAL') && partial) {
    items.partial = { ...partial, numbers: matches.slice(partial.low - 1, partial.high) };
  }
  if (modseqOf && n > 0) {
    // RFC 7162 3.1.5: the highest MODSEQ of the messages the response reports.
    let highest = -1;
    if (!minMaxOnly) for (let i = 0; i < n; i++) highest = Math.max(highest, modseqOf(i));
    else {
      if (opts.has('MIN')) highest = Math.max(highest, modseqOf(0));
      if (opts.has('MAX')) highest = Math.max(highest, modseqOf(n - 1));
    }
    if (highest >= 0) items.modseq = highest;
  }
  return { items, saved };
}
