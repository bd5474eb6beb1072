/**
 * OBJECTID (RFC 8474): MAILBOXID, EMAILID and THREADID. Mailbox and message GUIDs of the store
 * (32 lower-case hex digits) are used as they are: they already fit the objectid syntax and
 * never change for the life of the mailbox or message (a COPY or MOVE shares the message
 * object, so its EMAILID stays the same, as RFC 8474 5.1 recommends). The store keeps no
 * thread ids, so THREADID is NIL (RFC 8474 5.2 allows it) and SEARCH THREADID matches nothing.
 */

/** objectid = 1*255(ALPHA / DIGIT / "_" / "-") (RFC 8474 4). */
const OBJECTID = /^[A-Za-z0-9_-]{1,255}$/;

export function isObjectId(s: string): boolean {
  return OBJECTID.test(s);
}

/** The `MAILBOXID (id)` response code / STATUS item text. */
export function mailboxIdItem(guid: string): string {
  return `MAILBOXID (${guid})`;
}

/** `EMAILID (id)` for FETCH. */
export function emailIdItem(guid: string): string {
  return `EMAILID (${guid})`;
}

/** RFC 8474 5.2: a server without thread ids answers NIL. */
export const THREADID_ITEM = 'THREADID NIL';
