/**
 * Descriptor calls for the fs object store and the journal: the ones that can wait for the file
 * system's journal or the device (create, link, unlink, fsync) on the thread pool, the ones that
 * cannot (a write of at most SYNC_WRITE_MAX into the page cache, a read of at most
 * SYNC_READ_MAX, close, opening a folder to sync it) in place.
 *
 * Why: under load every thread-pool hop waits behind every other session's callbacks, so hops
 * cost latency more than CPU (an object read in place took FETCH BODY[] from 28 to 7 ms, see
 * readSmallSync). Making *every* call synchronous was tried and was slower: ext4 makes creat,
 * link and unlink wait for a running journal commit, and the event loop waited with them.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

/** Writes up to this size go to the page cache in place; larger ones on the pool. */
export const SYNC_WRITE_MAX = 256 * 1024;

export const openAsync = promisify(fs.open);
/** Looked up on `fs` at each call (tests count the calls there). */
export const fdatasyncAsync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
const fsyncAsync = promisify(fs.fsync);
const writevAsync = promisify(fs.writev);

/** Every byte of `bufs` at the file's current offset (a short write is continued). */
export async function writeAll(fd: number, bufs: Uint8Array[]): Promise<void> {
  let size = 0;
  for (const b of bufs) size += b.byteLength;
  let done = size <= SYNC_WRITE_MAX ? fs.writevSync(fd, bufs) : (await writevAsync(fd, bufs)).bytesWritten;
  if (done === size) return;
  for (const b of bufs) {
    if (done >= b.byteLength) {
      done -= b.byteLength;
      continue;
    }
    for (let at = done; at < b.byteLength; ) at += fs.writeSync(fd, b, at, b.byteLength - at);
    done = 0;
  }
}

/** fsync a folder, so that names linked or unlinked in it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    await fsyncAsync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Objects up to SYNC_READ_MAX are read in place; null for a larger one (read it on the pool).
 * Why: fs/promises' readFile is four thread-pool hops (open, fstat, read, close), and under load
 * each hop waits behind every other session's callbacks. Reading in place took FETCH BODY[] in
 * the persistent IMAP mix from 28 ms to 7 ms at p50 (89–110 → 37–44 ms p99; Dovecot: 5 ms),
 * docs/bench.md. Reads take no file-system journal lock (unlike link/unlink, which were slower
 * in place), and a message read right after its delivery or APPEND comes from the page cache;
 * a read from a cold disk blocks the event loop for its duration (the price, on local disks).
 */
export const SYNC_READ_MAX = 1024 * 1024;

export function readSmallSync(file: string): Buffer | null {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > SYNC_READ_MAX) return null;
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, buf, at, size - at, at);
      if (n === 0) break; // shorter than fstat said (cannot happen to an immutable object)
      at += n;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}
