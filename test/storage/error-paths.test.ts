/** What the store does when the object store fails: clean StorageErrors, no half-done changes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createFailingStore } from '../../core/storage/drivers/failing.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { isStorageError, type StorageErrorCode } from '../../core/storage/errors.ts';
import type { Codec } from '../../core/storage/message-object.ts';
import { msg, testConfig } from './helpers.ts';

test('APPEND fails cleanly when the object cannot be written', async () => {
  let failPuts: StorageErrorCode | null = null;
  const objects = createFailingStore(createMemoryStore(), (op) => (op === 'put' ? failPuts : null));
  const provider = createMailStore({ config: testConfig(), objects });
  const store = await provider.openUser('ivy');
  failPuts = 'UNAVAILABLE';
  try {
    await store.append('INBOX', msg('x'));
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'UNAVAILABLE'));
  }
  const st = await store.status('INBOX');
  assert.is(st.messages, 0);
  assert.is(st.uidNext, 1);
  failPuts = null;
  assert.is((await store.append('INBOX', msg('y'))).uid, 1);
});

test('a failing read is EXPUNGED when the object is gone, a StorageError otherwise', async () => {
  let failGets = false;
  const inner = createMemoryStore();
  const objects = createFailingStore(inner, (op) => (op === 'get' && failGets ? 'TEMPORARY' : null));
  const provider = createMailStore({ config: testConfig(), objects });
  const store = await provider.openUser('ivy');
  const r = await store.append('INBOX', msg('x'));
  const v = await store.openMailbox('INBOX', { readOnly: true });
  failGets = true;
  try {
    await v.read(1);
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'TEMPORARY'));
  }
  failGets = false;
  for await (const k of inner.list('')) if (k.endsWith(r.guid)) await inner.delete(k);
  try {
    await v.read(1);
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'EXPUNGED'));
  }
});

test('a codec that throws plain errors still surfaces StorageErrors', async () => {
  const codec: Codec = {
    compress: async () => { throw new Error('pool is down'); },
    decompress: async () => { throw new Error('pool is down'); },
  };
  const provider = createMailStore({ config: testConfig({ storage: { compressMinBytes: 10 } }), objects: createMemoryStore(), codec });
  const store = await provider.openUser('ivy');
  try {
    await store.append('INBOX', msg('x', 'y'.repeat(100)));
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'TEMPORARY'), String(err));
  }
  assert.is((await store.status('INBOX')).messages, 0);
});

test('message objects: compressed above the threshold, identical bytes back', async () => {
  const inner = createMemoryStore();
  const provider = createMailStore({ config: testConfig({ storage: { compressMinBytes: 64 } }), objects: inner });
  const store = await provider.openUser('ivy');
  const big = msg('big', 'la '.repeat(5000));
  await store.append('INBOX', big);
  await store.append('INBOX', msg('small'));
  const sizes: number[] = [];
  for await (const k of inner.list('')) if (k.includes('/m/')) sizes.push((await inner.head(k))!.size);
  assert.ok(Math.min(...sizes) < 500 && Math.max(...sizes) < big.length / 4, String(sizes));
  const v = await store.openMailbox('INBOX', { readOnly: true });
  assert.ok((await v.read(1)).equals(big));
  assert.is(v.meta(1).size, big.length);
});

test.run();
