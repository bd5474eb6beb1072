/**
 * Dates for SEARCH: IMAP compares by calendar date only. The internal and save dates are read in
 * the server's local time zone; the Date: header by its own written date (RFC 3501: "disregarding
 * time and timezone").
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of an instant in the process's local time zone. */
export function localDateKey(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '0000-00-00';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
}

/**
 * The date written in an RFC 5322 Date: value as `YYYY-MM-DD`, or null when there is none.
 * Accepts the obsolete forms too (two-digit years, missing day of week, extra comments).
 */
export function headerDateKey(value: string): string | null {
  const m = /(\d{1,2})\s*[- ]\s*([A-Za-z]{3})[a-z]*\.?\s*[- ]\s*(\d{2,4})\b/.exec(value);
  if (!m) return null;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  let year = Number(m[3]);
  if (month < 0 || day < 1 || day > 31) return null;
  // RFC 5322 obs-year: 00-49 is 20xx, 50-99 is 19xx; three digits add 1900.
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  return `${pad(year, 4)}-${pad(month + 1, 2)}-${pad(day, 2)}`;
}

/** Compares two `YYYY-MM-DD` keys with a SEARCH date operator. */
export function compareDate(have: string, op: 'before' | 'on' | 'since', want: string): boolean {
  if (op === 'before') return have < want;
  if (op === 'on') return have === want;
  return have >= want;
}
