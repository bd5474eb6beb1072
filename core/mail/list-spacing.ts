/**
 * Spacing inside ENVELOPE and BODYSTRUCTURE lists. RFC 3501's grammar writes address lists as
 * `"(" 1*address ")"` and multipart bodies as `"(" 1*body SP media-subtype ...`: the leading run
 * of nested lists in a list has no spaces between its members, e.g.
 * `(("text" ...)("text" ...) "alternative")` and `((NIL NIL "a" "b")(NIL NIL "c" "d"))`.
 * Every other member is preceded by one space. Dovecot and Cyrus write it this way; some strict
 * client parsers depend on it.
 */
import type { ImapValue } from './types.ts';

/** How many members at the start of `list` are lists: no space goes between them. */
export function leadingListCount(list: readonly ImapValue[]): number {
  let n = 0;
  while (n < list.length && Array.isArray(list[n])) n++;
  return n;
}

/**
 * True when a space goes before `list[index]`. Pass `leading` (from leadingListCount) when
 * calling it for every member, so that a long list stays linear.
 */
export function spaceBefore(list: readonly ImapValue[], index: number, leading = leadingListCount(list)): boolean {
  return index > 0 && index >= leading;
}
