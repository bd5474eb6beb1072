/**
 * The local journal: batches of records appended to a file and fsynced before the caller's
 * operation resolves (group commit: batches that arrive while a sync runs share the next one).
 * Frame: u32 LE payload length | u32 LE crc32(payload) | payload (JSON array of records).
 * A reader stops at the first frame that is short or fails its checksum: that is a write torn
 * by a crash, and everything before it is intact.
 */
import { closeSync, constants as fsc } from 'node:fs';
import { readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fdatasyncAsync, fsyncDir, openAsync, writeAll } from '../storage/drivers/fd-io.ts';
import { crc32 } from 'node:zlib';
import type { JournalRecord } from './records.ts';

type Item =
  | { kind: 'frame'; buf: Buffer; sync: boolean; resolve: () => void; reject: (e: unknown) => void }
  | { kind: 'rotate'; path: string; resolve: () => void; reject: (e: unknown) => void };

/** How long written but unsynced frames (append with sync: false) may wait for an fdatasync. */
export const LAZY_SYNC_MS = 1000;

export function encodeFrame(recs: JournalRecord[]): Buffer {
  const payload = Buffer.from(JSON.stringify(recs), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/** Batches of a journal file, and the length of its intact part. */
export function decodeFrames(buf: Buffer): { batches: JournalRecord[][]; validLength: number } {
  const batches: JournalRecord[][] = [];
  let o = 0;
  while (o + 8 <= buf.length) {
    const len = buf.readUInt32LE(o);
    const sum = buf.readUInt32LE(o + 4);
    if (o + 8 + len > buf.length) break;
    const payload = buf.subarray(o + 8, o + 8 + len);
    if (crc32(payload) !== sum) break;
    let recs: JournalRecord[];
    try {
      recs = JSON.parse(payload.toString('utf8')) as JournalRecord[];
    } catch {
      break;
    }
    batches.push(recs);
    o += 8 + len;
  }
  return { batches, validLength: o };
}

/** Read a journal file, cutting a torn tail off so new frames never follow garbage. */
export async function readJournal(path: string): Promise<JournalRecord[][]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const { batches, validLength } = decodeFrames(buf);
  if (validLength < buf.length) await truncate(path, validLength);
  return batches;
}

export class JournalWriter {
  /** The open journal file, -1 when none (a descriptor: see fd-io.ts for which calls wait). */
  private fd = -1;
  private queue: Item[] = [];
  private running = false;
  /** Frames written since the last fdatasync (sync: false appends). */
  private unsynced = false;
  private lazyTimer: NodeJS.Timeout | null = null;

  constructor(private path: string) {}

  /**
   * Resolves once the frame is written and, with `sync` (the default), fdatasynced. Unsynced
   * frames (storage.fsync optimized: flag changes) ride on the next synced batch, a rotation, or
   * a sync at most LAZY_SYNC_MS later: a killed process loses none (the page cache has them),
   * a power cut at most that long.
   */
  append(recs: JournalRecord[], opts: { sync?: boolean } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'frame', buf: encodeFrame(recs), sync: opts.sync ?? true, resolve, reject });
      void this.run();
    });
  }

  /** Records appended after this call go to `path`; resolves once the old file is closed. */
  rotate(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'rotate', path, resolve, reject });
      void this.run();
    });
  }

  async close(): Promise<void> {
    await this.rotate('');
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const cut = this.queue.findIndex((i) => i.kind === 'rotate');
        const batch = this.queue.splice(0, cut < 0 ? this.queue.length : cut);
        if (batch.length > 0) {
          try {
            const fd = await this.file();
            const frames = batch as Extract<Item, { kind: 'frame' }>[];
            const bufs = frames.map((i) => i.buf).filter((b) => b.length > 0);
            if (bufs.length > 0) await writeAll(fd, bufs);
            if (frames.some((i) => i.sync)) {
              await fdatasyncAsync(fd);
              this.unsynced = false;
            } else if (bufs.length > 0) {
              this.unsynced = true;
              this.lazyTimer ??= setTimeout(() => this.syncLater(), LAZY_SYNC_MS).unref();
            }
            for (const i of batch) i.resolve();
          } catch (err) {
            for (const i of batch) i.reject(err);
          }
          continue;
        }
        const rot = this.queue.shift()!;
        try {
          if (this.fd >= 0 && this.unsynced) await fdatasyncAsync(this.fd);
          this.unsynced = false;
          if (this.fd >= 0) closeSync(this.fd);
          this.fd = -1;
          this.path = (rot as { path: string }).path;
          rot.resolve();
        } catch (err) {
          rot.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The lazy fdatasync: an empty synced frame, behind whatever is queued. */
  private syncLater(): void {
    this.lazyTimer = null;
    if (!this.unsynced || !this.path) return;
    this.queue.push({ kind: 'frame', buf: Buffer.alloc(0), sync: true, resolve: () => {}, reject: () => {} });
    void this.run();
  }

  private async file(): Promise<number> {
    if (this.fd >= 0) return this.fd;
    if (!this.path) throw new Error('journal is closed');
    const fd = await openAsync(this.path, fsc.O_CREAT | fsc.O_WRONLY | fsc.O_APPEND, 0o600);
    try {
      // The new name must survive a crash too.
      await fsyncDir(dirname(this.path));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
    return fd;
  }
}
