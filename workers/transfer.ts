/**
 * Moving bytes between threads without copying. A view can be transferred only when it spans
 * its whole ArrayBuffer: Node's small Buffers are slices of a shared 8 KB pool, which must not
 * (and cannot) move; those are cloned instead, which for small inputs costs next to nothing.
 */

/** The ArrayBuffer to put in a transferList for `view`, or null when it must be cloned. */
export function movableBuffer(view: ArrayBufferView): ArrayBuffer | null {
  const buf = view.buffer;
  if (!(buf instanceof ArrayBuffer)) return null; // SharedArrayBuffer: shared, not moved
  if (view.byteOffset !== 0 || view.byteLength !== buf.byteLength) return null;
  return buf;
}

/** Transfer list for the views that can move (the others are cloned by postMessage). */
export function transferListOf(...views: ArrayBufferView[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of views) {
    const b = movableBuffer(v);
    if (b && !out.includes(b)) out.push(b);
  }
  return out;
}

/** A Buffer over the same memory (worker results arrive as plain Uint8Array). */
export function asBuffer(view: Uint8Array): Buffer {
  return Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

export function isBytes(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array;
}
