/**
 * METADATA (RFC 5464) entry names and the values on the wire. Names are case-insensitive:
 * kept lower case. They start with /private or /shared, have no empty component, no trailing
 * slash, no wildcard and no control or 8-bit character (RFC 5464 3.2).
 */

/** Lower-cased entry name, or null when it is not a valid name. `bare` allows `/private` alone (GETMETADATA with DEPTH). */
export function normalizeEntry(name: string, bare: boolean): string | null {
  const n = name.toLowerCase();
  if (!/^\/(private|shared)(\/[^/]+)*$/.test(n)) return null;
  if (/[\x00-\x1f\x7f-\uffff*%]/.test(n)) return null;
  if (!bare && (n === '/private' || n === '/shared')) return null;
  return n;
}

/** Does `entry` match the requested name at DEPTH 0, 1 or infinity? */
export function entryMatches(requested: string, entry: string, depth: '0' | '1' | 'infinity'): boolean {
  if (entry === requested) return true;
  if (depth === '0' || !entry.startsWith(requested + '/')) return false;
  return depth === 'infinity' || !entry.slice(requested.length + 1).includes('/');
}
