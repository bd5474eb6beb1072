/** S3 driver pieces the conformance suite cannot reach: metadata encoding, error mapping, retries, limits. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequestGate } from '../../core/storage/drivers/request-gate.ts';
import { decodeMeta, encodeMeta } from '../../core/storage/drivers/s3-meta.ts';
import { isTransientS3Error, toStorageError } from '../../core/storage/drivers/s3-errors.ts';
import { createS3Store } from '../../core/storage/drivers/s3.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted S3 endpoint: each request goes to `handle`, which answers it. */
async function fakeS3(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const store = createS3Store({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'b',
    accessKeyId: 'x',
    secretAccessKey: 'y',
    forcePathStyle: true,
    maxInFlight: 2,
    retries: 2,
    headBeforePut: false,
  });
  const close = async (): Promise<void> => {
    await store.close();
    await new Promise((r) => server.close(r));
  };
  return { store, close };
}
const s3Error = (res: ServerResponse, status: number, code: string): void => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
};

const sdkError = (name: string, status: number, extra: object = {}): Error =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

test('metadata: plain ASCII stays readable, anything else round-trips through RFC 2047', () => {
  const meta = { a: 'plain value', u: 'ünï', e: '', s: ' padded ', w: '=?UTF-8?B?aGk=?=', n: 'line\r\nbreak' };
  const wire = encodeMeta(meta);
  assert.is(wire.a, 'plain value');
  assert.is(wire.u, `=?UTF-8?B?${Buffer.from('ünï').toString('base64')}?=`);
  for (const v of Object.values(wire)) assert.ok(/^[\x20-\x7e]*$/.test(v));
  assert.equal(decodeMeta(wire), meta);
  assert.equal(decodeMeta({ Guid: 'x' }), { guid: 'x' });
});

test('metadata: names S3 would change are refused', () => {
  for (const name of ['Upper', 'sp ace', 'ü', '']) {
    try {
      encodeMeta({ [name]: 'x' });
      assert.unreachable(name);
    } catch (err) {
      assert.ok(isStorageError(err, 'INVALID'), name);
    }
  }
});

test('errors map to StorageError codes', () => {
  const cases: [Error, string][] = [
    [sdkError('NoSuchKey', 404), 'NOT_FOUND'],
    [sdkError('NotFound', 404), 'NOT_FOUND'],
    [sdkError('NoSuchBucket', 404), 'UNAVAILABLE'],
    [sdkError('PreconditionFailed', 412), 'EXISTS'],
    [sdkError('AccessDenied', 403), 'NO_PERMISSION'],
    [sdkError('EntityTooLarge', 400), 'TOO_BIG'],
    [sdkError('InternalError', 500), 'TEMPORARY'],
    [sdkError('SlowDown', 503), 'TEMPORARY'],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'UNAVAILABLE'],
  ];
  for (const [err, code] of cases) assert.is(toStorageError(err, 'op k').code, code, err.name);
  assert.ok(isTransientS3Error(sdkError('SlowDown', 503)));
  assert.ok(isTransientS3Error(sdkError('TimeoutError', 0)));
  assert.not.ok(isTransientS3Error(sdkError('NoSuchKey', 404)));
  assert.not.ok(isTransientS3Error(sdkError('AccessDenied', 403)));
});

test('gate: transient failures are retried up to the limit, others fail at once', async () => {
  const gate = createRequestGate({ maxInFlight: 2, retries: 3, baseDelayMs: 1, maxDelayMs: 2 });
  let calls = 0;
  const ok = await gate.run(async () => {
    if (++calls < 3) throw sdkError('InternalError', 500);
    return 'done';
  }, isTransientS3Error);
  assert.is(ok, 'done');
  assert.is(calls, 3);

  calls = 0;
  await gate.run(async () => {
    calls++;
    throw sdkError('InternalError', 500);
  }, isTransientS3Error).then(() => assert.unreachable(), () => {});
  assert.is(calls, 4);

  calls = 0;
  await gate.run(async () => {
    calls++;
    throw sdkError('AccessDenied', 403);
  }, isTransientS3Error).then(() => assert.unreachable(), () => {});
  assert.is(calls, 1);
});

test('gate: never more than maxInFlight requests at once', async () => {
  const gate = createRequestGate({ maxInFlight: 3, retries: 0 });
  let active = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const runs = Array.from({ length: 10 }, () =>
    gate.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((r) => release.push(r));
      active--;
    }, () => false),
  );
  while (runs.length > 0 && (release.length > 0 || gate.queued > 0 || gate.inFlight > 0)) {
    await new Promise((r) => setImmediate(r));
    assert.ok(gate.inFlight <= 3);
    const next = release.shift();
    if (!next) break;
    next();
  }
  await Promise.all(runs);
  assert.is(peak, 3);
  assert.is(gate.inFlight, 0);
});

test('unreachable endpoint: UNAVAILABLE after retries, not a raw SDK error', async () => {
  const store = createS3Store({
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    bucket: 'b',
    accessKeyId: 'x',
    secretAccessKey: 'y',
    forcePathStyle: true,
    maxInFlight: 2,
    retries: 1,
  });
  try {
    await store.get('k');
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'UNAVAILABLE'), String(err));
  }
  await store.close();
  await store.head('k').then(() => assert.unreachable(), (err) => assert.ok(isStorageError(err, 'UNAVAILABLE')));
});

test('put sends If-None-Match: * and a 412 becomes EXISTS', async () => {
  const seen: (string | undefined)[] = [];
  const fake = await fakeS3((req, res) => {
    seen.push(req.headers['if-none-match'] as string | undefined);
    s3Error(res, 412, 'PreconditionFailed');
  });
  try {
    await fake.store.put('k', Buffer.from('x'), { a: 'ü' });
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'EXISTS'), String(err));
  }
  assert.equal(seen, ['*']);
  assert.equal(fake.store.requests, { put: 1, get: 0, head: 0, delete: 0, list: 0 });
  await fake.close();
});

test('a 503 SlowDown is retried and the retry succeeds', async () => {
  let calls = 0;
  const fake = await fakeS3((req, res) => {
    if (++calls === 1) return s3Error(res, 503, 'SlowDown');
    res.writeHead(200, { 'content-length': '5', 'x-amz-meta-guid': 'g' });
    res.end('hello');
  });
  const got = await fake.store.get('k');
  assert.is(got.data.toString(), 'hello');
  assert.equal(got.meta, { guid: 'g' });
  assert.is(calls, 2);
  await fake.close();
});

test('a truncated body (connection cut mid-body) is retried', async () => {
  let calls = 0;
  const fake = await fakeS3((_req, res) => {
    res.writeHead(200, { 'content-length': '10' });
    if (++calls === 1) {
      res.write('hello');
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    res.end('hello worl');
  });
  assert.is((await fake.store.get('k')).data.toString(), 'hello worl');
  assert.is(calls, 2);
  await fake.close();
});

test('persistent 500s end as TEMPORARY after the configured retries', async () => {
  let calls = 0;
  const fake = await fakeS3((_req, res) => {
    calls++;
    s3Error(res, 500, 'InternalError');
  });
  await fake.store.delete('k').then(() => assert.unreachable(), (err) => assert.ok(isStorageError(err, 'TEMPORARY'), String(err)));
  assert.is(calls, 3);
  assert.is(fake.store.requests.delete, 3);
  await fake.close();
});

test.run();
