/**
 * A FIFO of received chunks. Bytes are copied once, when taken, so a 64 MB literal arriving in
 * thousands of chunks is not re-concatenated on every push.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0; // bytes already consumed from chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
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
    this.head = 0;
    this.total = 0;
  }

  private skipInFirst(count: number): void {
    this.head += count;
    this.total -= count;
    if (this.head >= this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}
