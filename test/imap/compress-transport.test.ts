/**
 * DeflateTransport on its own, over a scripted inner transport: output is raw DEFLATE, decodable
 * after every write (sync flush); write() waits for the inner transport (back-pressure); a
 * paused layer delivers nothing, however much a small input would inflate to; corrupt input
 * is reported once.
 */
import zlib from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeflateTransport } from '../../protocols/imap/compress.ts';
import type { Transport } from '../../protocols/net/types.ts';

class ScriptedInner implements Transport {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 1;
  readonly localPort = 143;
  readonly secure = false;
  readonly loopback = true;
  readonly tlsAvailable = false;
  written: Buffer[] = [];
  paused = 0;
  resumed = 0;
  closed = false;
  /** When set, writes wait for release(). */
  gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = null;
  }
  async write(data: string | Uint8Array): Promise<void> {
    this.written.push(Buffer.from(data));
    if (this.gate) await this.gate;
  }
  async startTls(): Promise<void> {}
  pause(): void {
    this.paused++;
  }
  resume(): void {
    this.resumed++;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  setIdleTimeout(): void {}
}

const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** zlib runs on the thread pool: wait (bounded, a hang guard) until `done()` holds. */
async function until(done: () => boolean, rounds = 5000): Promise<void> {
  for (let i = 0; i < rounds && !done(); i++) await new Promise((r) => setTimeout(r, 1));
}

test('every write is decodable on its own (Z_SYNC_FLUSH), in order', async () => {
  const inner = new ScriptedInner();
  const t = new DeflateTransport(inner, () => undefined, () => undefined);
  const inflate = zlib.createInflateRaw();
  let text = '';
  inflate.on('data', (b: Buffer) => (text += b.toString()));
  await t.write('* OK first\r\n');
  inflate.write(Buffer.concat(inner.written));
  await new Promise<void>((r) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
  assert.is(text, '* OK first\r\n');
  const before = inner.written.length;
  await t.write(Buffer.from('a OK second\r\n'));
  inflate.write(Buffer.concat(inner.written.slice(before)));
  await new Promise<void>((r) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
  assert.is(text, '* OK first\r\na OK second\r\n');
  // A sync flush ends with the empty stored block 00 00 FF FF.
  assert.is(Buffer.concat(inner.written).subarray(-4).toString('hex'), '0000ffff');
});

test('write() resolves only once the inner transport took the bytes', async () => {
  const inner = new ScriptedInner();
  const t = new DeflateTransport(inner, () => undefined, () => undefined);
  inner.hold();
  let done = false;
  const w = t.write('x'.repeat(100000)).then(() => (done = true));
  await until(() => inner.written.length > 0);
  assert.ok(inner.written.length > 0);
  await ticks();
  assert.is(done, false);
  inner.release();
  await w;
  assert.is(done, true);
});

test('paused: nothing is delivered, even from a tiny input that inflates to megabytes', async () => {
  const inner = new ScriptedInner();
  let delivered = 0;
  const t = new DeflateTransport(inner, (b) => (delivered += b.length), () => undefined);
  const bomb = zlib.deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x61), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.ok(bomb.length < 64 * 1024);
  t.pause();
  assert.is(inner.paused, 1);
  t.input(bomb);
  // Give the inflater every chance to run; nothing may come out while paused.
  await until(() => false, 30);
  assert.is(delivered, 0);
  t.resume();
  assert.is(inner.resumed, 1);
  await until(() => delivered >= 8 * 1024 * 1024);
  assert.is(delivered, 8 * 1024 * 1024);
});

test('corrupt input is reported once; later input and writes are ignored', async () => {
  const inner = new ScriptedInner();
  const errors: Error[] = [];
  const t = new DeflateTransport(inner, () => undefined, (e) => errors.push(e));
  t.input(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  await until(() => errors.length > 0);
  assert.is(errors.length, 1);
  t.input(Buffer.from([0xff, 0xff]));
  const n = inner.written.length;
  await t.write('late\r\n');
  await until(() => false, 10);
  assert.is(errors.length, 1);
  assert.is(inner.written.length, n);
  await t.close();
  assert.ok(inner.closed);
});

test.run();
