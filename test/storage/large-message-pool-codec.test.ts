/**
 * Regression: with the worker-pool codec, messages at or above workers.offloadMinBytes were
 * refused (451 on LMTP, NO [UNAVAILABLE] on APPEND) because the codec moved the caller's buffer
 * to the worker, leaving the store an empty one. Append and read back across the threshold.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configSchema } from '../../core/config/schema.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { createWorkerPool } from '../../workers/pool.ts';

test('messages around and above offloadMinBytes survive the pool codec', async () => {
  const config = configSchema.parse({ log: { level: 'silent' }, workers: { threads: 1, offloadMinBytes: 64 * 1024 } });
  const pool = await createWorkerPool(config);
  const provider = createMailStore({ config, objects: createMemoryStore(), codec: pool.codec });
  try {
    const store = await provider.openUser('big');
    const sizes = [64 * 1024 - 1, 64 * 1024, 200 * 1024, 3 * 1024 * 1024];
    const sent: Buffer[] = [];
    for (const size of sizes) {
      const head = Buffer.from(`Subject: ${size}\r\n\r\n`);
      // Mostly compressible text with a random tail, so both codec outcomes are exercised.
      const body = Buffer.alloc(size - head.length - 2, 'lorem ipsum dolor sit amet\r\n');
      for (let i = body.length - 512; i < body.length; i++) body[i] = 0x41 + Math.floor(Math.random() * 26);
      const raw = Buffer.concat([head, body, Buffer.from('\r\n')]);
      sent.push(Buffer.from(raw));
      await store.append('INBOX', raw);
    }
    const view = await store.openMailbox('INBOX', { readOnly: true });
    assert.is(view.count(), sizes.length);
    for (let seq = 1; seq <= view.count(); seq++) {
      assert.is(view.meta(seq).size, sizes[seq - 1]);
      assert.ok((await view.read(seq)).equals(sent[seq - 1]!), `message ${seq} reads back byte for byte`);
    }
    await view.close();
    await store.release();
  } finally {
    await provider.close();
    await pool.close();
  }
});

test.run();
