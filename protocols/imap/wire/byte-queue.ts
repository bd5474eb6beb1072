/**
 * A FIFO of received chunks. Bytes are copied once, when taken, so a 64 MB literal arriving in
 * thousands of chunks is not re-concatenated on every push. Tiny chunks (a client typing, or a
 * test feeding one byte at a time) are packed into a shared buffer so scans stay linear.
 */
const SMALL_CHUNK = 1024;
const PACK_SIZE = 16 * 1024;

export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0; // bytes already consumed from chunks[0]
  private total = 0;
  /** Spare room after the last chunk when we allocated it ourselves for packing. */
  private packBuffer: Buffer | null = null;
  private packUsed = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    if (chunk.length > SMALL_CHUNK) {
      this.chunks.push(chunk);
      this.packBuffer = null;
      return;
    }
    const last = this.chunks.length - 1;
    if (this.packBuffer && last >= 0 && this.packUsed + chunk.length <= this.packBuffer.length) {
      // The last chunk is a view of packBuffer[0, packUsed): extend it in place.
      chunk.copy(this.packBuffer, this.packUsed);
      this.packUsed += chunk.length;
      this.chunks[last] = this.packBuffer.subarray(0, this.packUsed);
      return;
    }
    this.packBuffer = Buffer.allocUnsafe(PACK_SIZE);
    chunk.copy(this.packBuffer, 0);
    this.packUsed = chunk.length;
    this.chunks.push(this.packBuffer.subarray(0, this.packUsed));
  }

  /** Offset of the first byte `value` at or after `from`, or -1. */
  indexOf(value: number, from = 0): number {
    let base = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      const start = c === 0 ? this.head : 0;
      const size = chunk.length - start;
      if (from < base + size) {
        const at = chunk.indexOf(value, start + Math.max(0, from - base));
        if (at >= 0) return base + at - start;
      }
      base += size;
    }
    return -1;
  }

  /** Remove and return the first n bytes (n <= length). */
  take(n: number): Buffer {
    if (n > this.total) throw new RangeError('ByteQueue.take past end');
    const first = this.chunks[0];
    if (first && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.skipInFirst(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const avail = chunk.length - this.head;
      const count = Math.min(avail, n - filled);
      chunk.copy(out, filled, this.head, this.head + count);
      filled += count;
      this.skipInFirst(count);
    }
    return out;
  }

  /** Drop the first n bytes (n <= length). */
  skip(n: number): void {
    let left = Math.min(n, this.total);
    while (left > 0) {
      const avail = this.chunks[0]!.length - this.head;
      const count = Math.min(avail, left);
      this.skipInFirst(count);
      left -= count;
    }
  }

  /** Copy of the first n bytes without consuming them. */
  peek(n: number): Buffer {
    const want = Math.min(n, this.total);
    const out = Buffer.allocUnsafe(want);
    let filled = 0;
    for (let c = 0; c < this.chunks.length && filled < want; c++) {
      const chunk = this.chunks[c]!;
      const start = c === 0 ? this.head : 0;
      filled += chunk.copy(out, filled, start, Math.min(chunk.length, start + want - filled));
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.packBuffer = null;
    this.head = 0;
    this.total = 0;
  }

  private skipInFirst(count: number): void {
    this.head += count;
    this.total -= count;
    if (this.head >= this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
      // Never append behind a chunk that is gone: its bytes may have been handed out.
      if (this.chunks.length === 0) this.packBuffer = null;
    }
  }
}
