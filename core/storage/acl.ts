/**
 * ACL (RFC 4314) rights arithmetic, shared by the store (which checks rights) and IMAP (which
 * shows them). Rights are the RFC 4314 letters `lrswipkxtea`. The mailbox owner always has
 * every right; other identifiers get the union of their own entry and `anyone`, minus the
 * negative entries `-identifier` and `-anyone` (RFC 4314 2).
 */
import { StorageError } from './errors.ts';

export const ALL_RIGHTS = 'lrswipkxtea';

/** What anyone, the owner included, may do on a read-only vault mailbox: see it and read it. */
export const VAULT_RIGHTS = 'lr';

/** Rights as a canonical string in ALL_RIGHTS order, or null when a letter is not a right. */
export function canonicalRights(s: string): string | null {
  // RFC 4314 2.1.1: the obsolete c and d stand for k and x / e t x.
  let set = '';
  for (const ch of s) {
    if (ch === 'c') set += 'kx';
    else if (ch === 'd') set += 'etx';
    else if (ALL_RIGHTS.includes(ch)) set += ch;
    else return null;
  }
  return [...ALL_RIGHTS].filter((r) => set.includes(r)).join('');
}

/** An identifier's effective rights on a mailbox of `owner` with the given ACL entries. */
export function effectiveRights(owner: string, identifier: string, acl: ReadonlyMap<string, string>): string {
  if (identifier === owner) return ALL_RIGHTS;
  const plus = (acl.get(identifier) ?? '') + (acl.get('anyone') ?? '');
  const minus = (acl.get('-' + identifier) ?? '') + (acl.get('-anyone') ?? '');
  return [...ALL_RIGHTS].filter((r) => plus.includes(r) && !minus.includes(r)).join('');
}

/** Apply a SETACL modification (`+rights` adds, `-rights` removes, else replaces) to `current`. */
export function modifyRights(current: string, mod: string): string | null {
  const op = mod[0] === '+' || mod[0] === '-' ? mod[0] : '';
  const rights = canonicalRights(op ? mod.slice(1) : mod);
  if (rights === null) return null;
  if (op === '+') return canonicalRights(current + rights);
  if (op === '-') return [...current].filter((r) => !rights.includes(r)).join('');
  return rights;
}

/**
 * The store's access check: without `l` the mailbox does not exist for the identifier (the
 * same NOT_FOUND as a missing mailbox, so nothing leaks); without a needed right NO_PERMISSION.
 */
export function requireRights(rights: string, needed: string, mailbox: string): void {
  if (!rights.includes('l')) throw new StorageError('NOT_FOUND', `no such mailbox: ${mailbox}`);
  for (const r of needed) if (!rights.includes(r)) throw new StorageError('NO_PERMISSION', `right ${r} missing on ${mailbox}`);
}

/** Rights a STORE of these flags needs (RFC 4314 4): s for \Seen, t for \Deleted, w for the rest. */
export function flagRights(flags: readonly string[]): string {
  let need = '';
  for (const f of flags) {
    const l = f.toLowerCase();
    need += l === '\\seen' ? 's' : l === '\\deleted' ? 't' : 'w';
  }
  return [...ALL_RIGHTS].filter((r) => need.includes(r)).join('');
}

/** Flags the rights allow to set (APPEND/COPY silently drop the others, RFC 4314 4). */
export function allowedFlags(flags: readonly string[], rights: string): string[] {
  return flags.filter((f) => rights.includes(flagRights([f]) || 'w'));
}

/** RFC 4314 4: SELECT opens read-only when the user has none of the rights that change a mailbox. */
export function canWriteSelected(rights: string): boolean {
  return [...'swte'].some((r) => rights.includes(r));
}
