/** Binary searches over the first `n` of an ascending UID column (the index's and a view's). */

/** Position of the first UID >= `uid` among uids[0..n) (n when none). */
export function lowerBoundUid(uids: Uint32Array, n: number, uid: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (uids[mid]! < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of `uid` among uids[0..n), or -1. */
export function indexOfUid(uids: Uint32Array, n: number, uid: number): number {
  const at = lowerBoundUid(uids, n, uid);
  return at < n && uids[at] === uid ? at : -1;
}
