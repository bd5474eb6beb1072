/**
 * The S3 driver against a real s3rver behind the fault proxy: each fault once is retried and
 * the answer is right; each fault beyond the retry budget is a temporary StorageError, never a
 * wrong answer (no truncated GET returned as data, no partial object after a failed PUT).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createS3Store, type S3Store, type S3StoreOptions } from '../../core/storage/drivers/s3.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startS3rver, type S3rverHandle } from './s3rver-process.ts';

let server: S3rverHandle;
let proxy: FaultProxy;
let store: S3Store;
let direct: S3Store;
let n = 0;

const RETRIES = 2;
const options = (endpoint: string, extra: Partial<S3StoreOptions> = {}): S3StoreOptions => ({
  endpoint,
  region: 'us-east-1',
  bucket: server.bucket,
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
  maxInFlight: 4,
  retries: RETRIES,
  requestTimeoutMs: 400,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  listPageSize: 2,
  sortListing: true,
  ...extra,
});
const fresh = (): string => `t${++n}/obj`;
const payload = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => 'abcdefghij'[i % 10]).join(''));

/** Every fault kind, as injected once or always. */
const FAULTS: Record<string, Fault> = {
  '500 InternalError': { kind: 'status', status: 500, code: 'InternalError' },
  '503 ServiceUnavailable': { kind: 'status', status: 503, code: 'ServiceUnavailable' },
  '503 SlowDown': { kind: 'status', status: 503, code: 'SlowDown' },
  '429 TooManyRequests': { kind: 'status', status: 429, code: 'TooManyRequests' },
  timeout: { kind: 'timeout' },
  'reset before the answer': { kind: 'reset-request' },
  'reset after the headers': { kind: 'reset-response', afterBytes: 0 },
  'reset mid-body': { kind: 'reset-response', afterBytes: 100 },
  'truncated body': { kind: 'truncate', keepBytes: 100 },
  'lost answer': { kind: 'lost-response' },
};

const isTemporary = (err: unknown): boolean => isStorageError(err, 'TEMPORARY') || isStorageError(err, 'UNAVAILABLE');

test.before(async () => {
  server = await startS3rver('faults');
  proxy = await startFaultProxy(server.endpoint, { seed: 42 });
  store = createS3Store(options(proxy.endpoint));
  direct = createS3Store(options(server.endpoint));
});
test.after.each(() => proxy.clear());
test.after(async () => {
  await store.close();
  await direct.close();
  await proxy.close();
  await server.stop();
});

for (const [name, fault] of Object.entries(FAULTS)) {
  test(`GET: ${name} once is retried and the data is right`, async () => {
    const key = fresh();
    const data = payload(3000);
    await direct.put(key, data, { guid: 'g1' });
    proxy.inject({ op: 'get', key: new RegExp(`^${key}$`), times: 1, fault });
    const before = store.requests.get;
    const got = await store.get(key);
    assert.ok(got.data.equals(data));
    assert.equal(got.meta, { guid: 'g1' });
    assert.is(store.requests.get - before, 2);
    assert.equal(proxy.log.filter((e) => e.key === key).map((e) => e.fault), [fault.kind, 'pass']);
  });

  test(`PUT: ${name} once is retried and the object is complete`, async () => {
    const key = fresh();
    const data = payload(5000);
    proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), times: 1, fault });
    await store.put(key, data, { guid: 'g2' });
    const got = await direct.get(key);
    assert.ok(got.data.equals(data));
    assert.equal(got.meta, { guid: 'g2' });
    assert.equal(proxy.log.filter((e) => e.key === key && e.op === 'put').map((e) => e.fault), [fault.kind, 'pass']);
  });

  test(`GET: ${name} beyond the retry budget is a temporary error, never data`, async () => {
    const key = fresh();
    await direct.put(key, payload(3000));
    proxy.inject({ op: 'get', key: new RegExp(`^${key}$`), fault });
    await store.get(key).then(
      () => assert.unreachable('a faulty GET must not resolve'),
      (err) => assert.ok(isTemporary(err), String(err)),
    );
    assert.is(proxy.log.filter((e) => e.key === key).length, RETRIES + 1);
  });

  test(`PUT: ${name} beyond the retry budget is a temporary error; the object is complete or absent`, async () => {
    const key = fresh();
    const data = payload(5000);
    proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), fault });
    await store.put(key, data, { guid: 'g3' }).then(
      () => assert.unreachable('a faulty PUT must not resolve'),
      (err) => assert.ok(isTemporary(err), String(err)),
    );
    const there = await direct.head(key);
    if (there) {
      assert.is(there.size, data.length);
      assert.ok((await direct.get(key)).data.equals(data));
    }
    const landed = fault.kind === 'lost-response' || fault.kind === 'reset-response' || fault.kind === 'truncate';
    if (!landed) assert.is(there, null, 'nothing reached the server');
  });
}

test('HEAD and DELETE: a 503 once is retried', async () => {
  const key = fresh();
  await direct.put(key, payload(10));
  proxy.inject({ op: 'head', times: 1, fault: FAULTS['503 ServiceUnavailable']! });
  proxy.inject({ op: 'delete', times: 1, fault: FAULTS['500 InternalError']! });
  assert.is((await store.head(key))?.size, 10);
  await store.delete(key);
  assert.is(await direct.head(key), null);
  assert.is(proxy.faults().length, 2);
});

test('a slow but steady answer is not a timeout', async () => {
  const key = fresh();
  const data = payload(8000);
  await direct.put(key, data);
  proxy.inject({ op: 'get', key: new RegExp(`^${key}$`), fault: { kind: 'slow', bytesPerTick: 500, tickMs: 10 } });
  const before = store.requests.get;
  assert.ok((await store.get(key)).data.equals(data));
  assert.is(store.requests.get - before, 1, 'no retry');
});

test('a stall longer than the request timeout is retried', async () => {
  const key = fresh();
  const data = payload(3000);
  await direct.put(key, data);
  proxy.inject({ op: 'get', key: new RegExp(`^${key}$`), times: 1, fault: { kind: 'slow', bytesPerTick: 1000, tickMs: 1000 } });
  assert.ok((await store.get(key)).data.equals(data));
  assert.equal(proxy.log.filter((e) => e.key === key).map((e) => e.fault), ['slow', 'pass']);
});

test('a PUT whose answer was lost, retried against a server that honours If-None-Match, succeeds', async () => {
  const key = fresh();
  const data = payload(2000);
  proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), times: 1, fault: { kind: 'lost-response' } });
  // What AWS S3 / MinIO answer to the retry: the object (ours) is already there.
  proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), times: 1, fault: { kind: 'status', status: 412, code: 'PreconditionFailed' } });
  await store.put(key, data, { guid: 'mine' });
  assert.ok((await direct.get(key)).data.equals(data));
});

test('a 412 on a retry for an object that is not ours stays EXISTS', async () => {
  const key = fresh();
  proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), times: 1, fault: { kind: 'reset-request' } });
  proxy.inject({ op: 'put', key: new RegExp(`^${key}$`), times: 1, fault: { kind: 'status', status: 412, code: 'PreconditionFailed' } });
  // Someone else's object is there (a split brain on one key).
  await direct.put(key, payload(7), { guid: 'theirs' });
  // headBeforePut would refuse at once; skip it to reach the retry path.
  const noHead = createS3Store(options(proxy.endpoint, { headBeforePut: false }));
  try {
    await noHead.put(key, payload(2000), { guid: 'mine' }).then(
      () => assert.unreachable(),
      (err) => assert.ok(isStorageError(err, 'EXISTS'), String(err)),
    );
  } finally {
    await noHead.close();
  }
  assert.is((await direct.get(key)).meta.guid, 'theirs');
});

async function seedListing(prefix: string): Promise<string[]> {
  const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => `${prefix}/${k}`);
  for (const k of keys) await direct.put(k, payload(3));
  return keys;
}
async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

test('list: a failing page is retried and the listing is complete', async () => {
  const keys = await seedListing(`list${++n}`);
  proxy.inject({ op: 'list', skip: 1, times: 1, fault: FAULTS['503 SlowDown']! });
  proxy.inject({ op: 'list', skip: 2, times: 1, fault: FAULTS['reset mid-body']! });
  assert.equal(await collect(store.list(keys[0]!.slice(0, -1))), keys);
  assert.is(proxy.faults().length, 2);
  assert.ok(proxy.log.filter((e) => e.op === 'list').length >= 5, 'three pages plus two retries');
});

for (const sortListing of [true, false]) {
  test(`list: a page failing beyond the budget ends the listing with an error (sortListing ${sortListing})`, async () => {
    const keys = await seedListing(`list${++n}`);
    const s = createS3Store(options(proxy.endpoint, { sortListing }));
    proxy.inject({ op: 'list', skip: 1, fault: FAULTS['500 InternalError']! });
    const yielded: string[] = [];
    try {
      for await (const k of s.list(keys[0]!.slice(0, -1))) yielded.push(k);
      assert.unreachable('a listing with a lost page must not end normally');
    } catch (err) {
      assert.ok(isTemporary(err), String(err));
    } finally {
      await s.close();
    }
    assert.is(yielded.length, sortListing ? 0 : 2);
  });
}

test('random faults (seeded, 30 % of requests): every operation ends right', async () => {
  const s = createS3Store(options(proxy.endpoint, { retries: 8 }));
  const kinds = Object.values(FAULTS).filter((f) => f.kind !== 'timeout');
  kinds.forEach((fault) => proxy.inject({ probability: 0.3 / kinds.length, fault }));
  try {
    const keys = Array.from({ length: 12 }, () => fresh());
    await Promise.all(keys.map((k, i) => s.put(k, payload(100 + i * 300), { i: String(i) })));
    for (const [i, k] of keys.entries()) {
      const got = await s.get(k);
      assert.ok(got.data.equals(payload(100 + i * 300)), k);
      assert.is(got.meta.i, String(i));
    }
  } finally {
    await s.close();
  }
  assert.ok(proxy.faults().length > 0, 'some faults were injected');
});

test.run();
