/** The facade survives memory.grow: views are re-derived, results stay right after growth. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldAsciiBytes, indexOfAsciiFolded, kernelMemoryBytes, scanHeader } from '../../core/text/kernels.ts';
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
  assert.ok(kernelMemoryBytes() > before + 10 * 1024 * 1024 - 1, 'memory grew');

  const folded = foldAsciiBytes(Uint8Array.from(big));
  assert.is(folded[0], 0x61);
  assert.is(folded[25], 0x7a);
  assert.is(folded[big.length - 1], 'r'.charCodeAt(0));

  const scan = scanHeader(big);
  assert.is(scan.found, false);
  assert.is(scan.headerEnd, big.length);
  smallRound('after');
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
