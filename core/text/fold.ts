/**
 * Case folding for case-insensitive matching (SEARCH, i;unicode-casemap-like comparisons).
 *
 * foldCase: NFKC, then lowercase, then the few simple-folding fix-ups lowercase misses
 * (final sigma). Pure ASCII takes a fast path (NFKC is the identity on ASCII).
 * containsFolded: substring test on folded strings; an empty needle always matches.
 */

// Matches any character outside 7-bit ASCII.
const NON_ASCII = /[^\x00-\x7f]/;

/** True when every UTF-16 unit of s is 7-bit ASCII. */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** Unicode case fold (NFKC + lowercase + final sigma unified with sigma). */
export function foldCase(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  // toLowerCase applies the Final_Sigma rule (Σ -> ς at word end); folding wants σ everywhere.
  return s.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');
}

/** Case-insensitive substring test: foldCase(haystack) contains foldCase(needle). */
export function containsFolded(haystack: string, needle: string): boolean {
  if (needle.length === 0) return true;
  return foldCase(haystack).includes(foldCase(needle));
}
