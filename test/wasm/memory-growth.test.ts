/** The facade survives memory.grow: views are re-derived, results stay right after growth. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KERNEL_CHUNK_BYTES, foldAsciiBytes, indexOfAsciiFolded, kernelMemoryBytes, scanHeader } from '../../core/text/kernels.ts';
import { foldAsciiBytesRef, indexOfAsciiFoldedRef } from '../../core/text/ascii-fold.ts';
import { scanHeaderRef } from '../../core/text/header-scan.ts';
import { compileKernelModule, KernelInstance, KernelLoadError } from '../../core/text/wasm-instance.ts';

const enc = new TextEncoder();

function smallRound(tag: string): void {
  const text = enc.encode(`Subject: Hello ${tag}\r\nFrom: A\r\n\r\nBody NEEDLE here`);
  assert.equal(Array.from(foldAsciiBytes(Uint8Array.from(text))), Array.from(foldAsciiBytesRef(Uint8Array.from(text))));
  assert.is(indexOfAsciiFolded(text, enc.encode('needle')), indexOfAsciiFoldedRef(text, enc.encode('needle')));
  assert.equal(Array.from(scanHeader(text).fieldStarts), Array.from(scanHeaderRef(text).fieldStarts));
}

test('a 10 MB input after small ones grows memory, and small ones still work after', () => {
  smallRound('before');
  const before = kernelMemoryBytes();
  const big = new Uint8Array(10 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = 0x41 + (i % 26);
  const tail = enc.encode('The END Marker');
  big.set(tail, big.length - tail.length);

  assert.is(indexOfAsciiFolded(big, enc.encode('the end marker')), big.length - tail.length);
  assert.ok(kernelMemoryBytes() > before, 'memory grew');
  assert.ok(kernelMemoryBytes() < KERNEL_CHUNK_BYTES + (1 << 20), 'memory stays bounded by the chunk size');

  const folded = foldAsciiBytes(Uint8Array.from(big));
  assert.is(folded[0], 0x61);
  assert.is(folded[25], 0x7a);
  assert.is(folded[big.length - 1], 'r'.charCodeAt(0));

  const scan = scanHeader(big);
  assert.is(scan.found, false);
  assert.is(scan.headerEnd, big.length);
  smallRound('after');
});

test('matches across a chunk edge are found, at every offset around it', () => {
  const hay = new Uint8Array(KERNEL_CHUNK_BYTES * 2 + 100).fill(0x78);
  const needle = enc.encode('Cross-Edge');
  for (const at of [KERNEL_CHUNK_BYTES - 10, KERNEL_CHUNK_BYTES - 9, KERNEL_CHUNK_BYTES - 5, KERNEL_CHUNK_BYTES, 2 * KERNEL_CHUNK_BYTES - 1]) {
    const h = Uint8Array.from(hay);
    h.set(enc.encode('CROSS-edge'), at);
    assert.is(indexOfAsciiFolded(h, needle), at, `at ${at}`);
    assert.is(indexOfAsciiFolded(h, needle), indexOfAsciiFoldedRef(h, needle));
  }
  assert.is(indexOfAsciiFolded(hay, needle), -1);
});

test('header scan windows: an empty line across the 64 KiB edge, and headers past it', () => {
  for (const shift of [-3, -2, -1, 0, 1, 2]) {
    const line = 'X-Pad: ' + 'p'.repeat(91) + '\r\n'; // 100 bytes
    let head = line.repeat(655) + 'X-Last: ' + 'q'.repeat(65536 - 655 * 100 - 12 + shift) + '\r\n';
    const msg = enc.encode(head + '\r\nbody');
    const got = scanHeader(msg);
    const ref = scanHeaderRef(msg);
    assert.equal({ ...got, fieldStarts: Array.from(got.fieldStarts) }, { ...ref, fieldStarts: Array.from(ref.fieldStarts) }, `shift ${shift}`);
    assert.ok(got.found);
  }
  const long = enc.encode('A: b\r\n'.repeat(60_000) + '\r\nbody');
  const got = scanHeader(long);
  assert.is(got.fieldStarts.length, 60_000);
  assert.is(got.bodyStart, long.length - 4);
});

test('growth between calls: an instance re-derives its view when memory.buffer changes', () => {
  const inst = new KernelInstance(compileKernelModule());
  inst.reserve(1000);
  const first = inst.u8;
  assert.ok(first.length >= 1000);
  inst.reserve(first.length + 1);
  const second = inst.u8;
  assert.is.not(second, first);
  assert.is(first.length, 0, 'the old view is detached by grow');
  assert.ok(second.length > 1000);
});

test('a missing .wasm fails loudly with a message saying to run npm run build', () => {
  try {
    compileKernelModule('/nonexistent/kernels.wasm');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, KernelLoadError);
    assert.is((err as KernelLoadError).code, 'ERR_KERNELS_LOAD');
    assert.match((err as Error).message, 'npm run build');
  }
});

test.run();
