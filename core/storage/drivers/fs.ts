/**
 * File-system ObjectStore (the embedded default). Each key segment is a folder level; names
 * are escaped so no key can leave the root or collide with a temp file. A file holds a small
 * header with the object's metadata, then the data.
 *
 * put: write a temp file, fdatasync it, link() it into place (link fails if the name exists,
 * which makes no-overwrite atomic even between processes), fsync the folder, drop the temp name.
 * Puts up to 1 MiB make these calls on threads of their own, one message per put
 * (fs-put-threads.ts); larger ones, or all with putThreads 0, on libuv's pool from here.
 * Syscalls per put are what the write path costs (most of an LMTP delivery), so: no mkdir while
 * the folder exists (link first, create the folders only on ENOENT, then fsync their parents),
 * and on the pool path concurrent puts and deletes in one folder share its fsync (DirSyncs: group
 * commit per folder; a put thread syncs the folder itself, in the same hand-off).
 *
 * File layout: "COBJ" | meta length u32 BE | meta JSON | data
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsc } from 'node:fs';
import { FS_PUT_DEFAULT_THREADS, FS_PUT_THREAD_MAX_BYTES, PutThreads } from './fs-put-threads.ts';
import { fdatasyncAsync, fsyncDir, openAsync, readSmallSync, writeAll } from './fd-io.ts';
import { link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageError } from '../errors.ts';
import type { ObjectInfo, ObjectStore } from '../object-store.ts';
import { compareKeys, validateKey } from './memory.ts';

const MAGIC = Buffer.from('COBJ', 'latin1');
const HEADER_PREFIX = MAGIC.length + 4;
/** Suffix of folder names; escaped segments never contain it, so files and folders never clash. */
const DIR_SUFFIX = '+';
const TMP_DIR = '.tmp';

/** Segment → file name: [A-Za-z0-9_.-] kept (no leading dot), the rest %XX of UTF-8. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export function escapeSegment(seg: string): string {
  if (seg.length === 0) return '%';
  // GUIDs and hash prefixes (every key of the hot path) need no escaping: skip the byte walk.
  if (PLAIN_SEGMENT.test(seg)) return seg;
  let out = '';
  for (const b of Buffer.from(seg, 'utf8')) {
    const c = String.fromCharCode(b);
    const keep = /[A-Za-z0-9_-]/.test(c) || (c === '.' && out.length > 0);
    out += keep ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function unescapeSegment(name: string): string {
  if (name === '%') return '';
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '%') {
      bytes.push(parseInt(name.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(name.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface FsStoreOptions {
  /** Threads for puts (fs-put-threads.ts says why); 0 = libuv's pool, as before. */
  putThreads?: number;
}

export function createFsStore(root: string, opts: FsStoreOptions = {}): ObjectStore {
  let closed = false;
  const threadCount = opts.putThreads ?? FS_PUT_DEFAULT_THREADS;
  const putThreads = threadCount > 0 ? new PutThreads(threadCount) : null;
  const tmpDir = join(root, TMP_DIR);
  let ready: Promise<void> | null = null;
  const init = () => (ready ??= mkdir(tmpDir, { recursive: true }).then(() => sweepTemp(tmpDir)));

  const pathOf = (key: string): { dir: string; file: string } => {
    validateKey(key);
    const segs = key.split('/');
    const last = segs.pop()!;
    const dir = join(root, ...segs.map((s) => escapeSegment(s) + DIR_SUFFIX));
    return { dir, file: join(dir, escapeSegment(last)) };
  };

  const dirSyncs = new DirSyncs();

  const check = (): void => {
    if (closed) throw new StorageError('UNAVAILABLE', 'object store is closed');
  };

  return {
    driver: 'fs',

    async put(key, data, meta = {}) {
      check();
      const { dir, file } = pathOf(key);
      await init();
      const metaJson = Buffer.from(JSON.stringify(meta), 'utf8');
      const head = Buffer.alloc(HEADER_PREFIX);
      MAGIC.copy(head, 0);
      head.writeUInt32BE(metaJson.length, MAGIC.length);
      const tmp = join(tmpDir, `${process.pid}.${randomBytes(8).toString('hex')}`);
      const parts = [head, metaJson, Buffer.from(data.buffer, data.byteOffset, data.byteLength)];
      if (putThreads && data.byteLength <= FS_PUT_THREAD_MAX_BYTES) {
        try {
          await putThreads.put(tmp, file, dir, parts);
          return;
        } catch (err) {
          throw (err as NodeJS.ErrnoException).code === 'EEXIST' ? new StorageError('EXISTS', `object exists: ${key}`) : wrap(err);
        }
      }
      try {
        // Create on the pool; write and close in place (fd-io.ts says which and why).
        const fd = await openAsync(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
        try {
          await writeAll(fd, parts);
          // A new file: fdatasync still writes the size, which is all a reader needs.
          await fdatasyncAsync(fd);
        } finally {
          closeSync(fd);
        }
        await linkInto(tmp, file, dir, key);
        await dirSyncs.sync(dir);
      } catch (err) {
        throw wrap(err);
      } finally {
        await unlink(tmp).catch(() => {});
      }
    },

    async get(key) {
      check();
      const { file } = pathOf(key);
      let buf: Buffer;
      try {
        buf = readSmallSync(file) ?? (await readFile(file));
      } catch (err) {
        throw notFoundOr(err, key);
      }
      const { meta, offset } = parseHeader(buf, key);
      return { data: buf.subarray(offset), meta };
    },

    async head(key): Promise<ObjectInfo | null> {
      check();
      const { file } = pathOf(key);
      let fh;
      try {
        fh = await open(file, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
        throw wrap(err);
      }
      try {
        const st = await fh.stat();
        const pre = Buffer.alloc(HEADER_PREFIX);
        await fh.read(pre, 0, HEADER_PREFIX, 0);
        const len = checkPrefix(pre, key, st.size);
        const metaBuf = Buffer.alloc(len);
        await fh.read(metaBuf, 0, len, HEADER_PREFIX);
        return { key, size: st.size - HEADER_PREFIX - len, meta: parseMeta(metaBuf, key) };
      } catch (err) {
        throw wrap(err);
      } finally {
        await fh.close();
      }
    },

    async delete(key) {
      check();
      const { dir, file } = pathOf(key);
      try {
        await unlink(file);
        await dirSyncs.sync(dir);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw wrap(err);
      }
    },

    list(prefix) {
      check();
      return listKeys(root, prefix);
    },

    async close() {
      closed = true;
      await putThreads?.close();
    },
  };
}

/** Temp files a crashed writer left behind (an hour old: no live put takes that long). */
async function sweepTemp(dir: string): Promise<void> {
  const cutoff = Date.now() - 3600_000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const st = await stat(path).catch(() => null);
    if (st && st.mtimeMs < cutoff) await unlink(path).catch(() => {});
  }
}

/** Walk from the deepest folder the prefix fully names, then filter and sort. */
async function* listKeys(root: string, prefix: string): AsyncIterable<string> {
  const segs = prefix.split('/');
  segs.pop(); // the partial last segment is matched by filter
  const startDir = join(root, ...segs.map((s) => escapeSegment(s) + DIR_SUFFIX));
  const keyBase = segs.length > 0 ? segs.join('/') + '/' : '';
  const out: string[] = [];
  await walk(startDir, keyBase, prefix, out);
  out.sort(compareKeys);
  yield* out;
}

async function walk(dir: string, keyBase: string, prefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw wrap(err);
  }
  for (const e of entries) {
    if (e.name === TMP_DIR) continue;
    if (e.isDirectory()) {
      if (!e.name.endsWith(DIR_SUFFIX)) continue;
      const k = keyBase + unescapeSegment(e.name.slice(0, -DIR_SUFFIX.length)) + '/';
      // Descend only where keys below can still match the prefix.
      if (k.startsWith(prefix) || prefix.startsWith(k)) await walk(join(dir, e.name), k, prefix, out);
    } else if (e.isFile()) {
      const k = keyBase + unescapeSegment(e.name);
      if (k.startsWith(prefix)) out.push(k);
    }
  }
}

function checkPrefix(pre: Buffer, key: string, fileSize: number): number {
  if (!pre.subarray(0, MAGIC.length).equals(MAGIC)) throw new StorageError('TEMPORARY', `damaged object ${key}`);
  const len = pre.readUInt32BE(MAGIC.length);
  if (HEADER_PREFIX + len > fileSize) throw new StorageError('TEMPORARY', `damaged object ${key}`);
  return len;
}

function parseHeader(buf: Buffer, key: string): { meta: Record<string, string>; offset: number } {
  if (buf.length < HEADER_PREFIX) throw new StorageError('TEMPORARY', `damaged object ${key}`);
  const len = checkPrefix(buf, key, buf.length);
  return { meta: parseMeta(buf.subarray(HEADER_PREFIX, HEADER_PREFIX + len), key), offset: HEADER_PREFIX + len };
}

function parseMeta(b: Buffer, key: string): Record<string, string> {
  try {
    return JSON.parse(b.toString('utf8')) as Record<string, string>;
  } catch (err) {
    throw new StorageError('TEMPORARY', `damaged object metadata ${key}`, { cause: err });
  }
}

/** link() tmp to file; the folders are made (and their parents synced) only when missing. */
async function linkInto(tmp: string, file: string, dir: string, key: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await link(tmp, file);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new StorageError('EXISTS', `object exists: ${key}`);
      if (code !== 'ENOENT' || attempt > 0) throw err;
    }
    const first = await mkdir(dir, { recursive: true });
    // New folders must survive a crash too: sync the parent of each one made.
    if (first) for (let d = dir; d.length >= first.length; d = dirname(d)) await fsyncDir(dirname(d));
  }
}

/**
 * Group commit of folder fsyncs: a sync requested while one runs waits for it, then shares
 * the next one with everyone else who asked meanwhile (the running one may have started
 * before their link, so it cannot count for them).
 */
export class DirSyncs {
  private readonly state = new Map<string, { running: Promise<void> | null; queued: Promise<void> | null }>();
  /** fsync calls actually made (tests check the sharing). */
  syncs = 0;

  sync(dir: string): Promise<void> {
    let s = this.state.get(dir);
    if (!s) this.state.set(dir, (s = { running: null, queued: null }));
    const st = s;
    if (st.queued) return st.queued;
    if (st.running) {
      st.queued = st.running.catch(() => {}).then(() => {
        st.queued = null;
        return this.sync(dir);
      });
      return st.queued;
    }
    this.syncs++;
    st.running = fsyncDir(dir).finally(() => {
      st.running = null;
      if (!st.queued) this.state.delete(dir);
    });
    return st.running;
  }
}

function notFoundOr(err: unknown, key: string): StorageError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new StorageError('NOT_FOUND', `no such object: ${key}`);
  return wrap(err);
}

function wrap(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('TEMPORARY', 'object store is full', { cause: err });
  if (code === 'EACCES' || code === 'EROFS' || code === 'EIO') return new StorageError('UNAVAILABLE', 'object store failed', { cause: err });
  return new StorageError('TEMPORARY', 'object store operation failed', { cause: err });
}

