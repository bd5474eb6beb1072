/**
 * ObjectStore on S3 (or any S3-compatible server) through @aws-sdk/client-s3.
 * - No overwrite: PUT carries `If-None-Match: *` (412 -> EXISTS) on servers that honour it
 *   (AWS S3 since 2024, MinIO, Ceph). s3rver ignores that header, so every put is also
 *   preceded by a HEAD, serialised per key inside this process. Two *processes* writing the
 *   same key on a server without conditional writes can still both succeed (last writer wins);
 *   Columba keys carry fresh GUIDs/timestamps, so only a split brain could collide there.
 * - Metadata as x-amz-meta-* (see s3-meta.ts); list = ListObjectsV2 with continuation tokens.
 * - Our own retries (SDK retries off) with jittered back-off on 5xx/throttling/timeouts, and a
 *   bounded number of requests in flight (request-gate.ts).
 * - Checksums WHEN_REQUIRED: with the SDK defaults s3rver stores aws-chunked framing inside
 *   the object (silent corruption).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { StorageError } from '../errors.ts';
import type { ObjectInfo, ObjectStore } from '../object-store.ts';
import { compareKeys, validateKey } from './memory.ts';
import { createRequestGate } from './request-gate.ts';
import { decodeMeta, encodeMeta } from './s3-meta.ts';
import { isTransientS3Error, toStorageError } from './s3-errors.ts';
import { PerKeyQueue } from './per-key-queue.ts';

export interface S3StoreOptions {
  /** e.g. http://127.0.0.1:9000; null/undefined means AWS for `region`. */
  endpoint?: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** http://host/bucket/key instead of http://bucket.host/key (MinIO, s3rver, Ceph). */
  forcePathStyle: boolean;
  maxInFlight: number;
  retries: number;
  /** Idle-socket timeout per request (no byte for this long); a timed-out request is retried. */
  requestTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (S3 caps it at 1000); smaller in tests to exercise paging. */
  listPageSize?: number;
  /**
   * Collect a whole listing and sort it before yielding. Real S3 (and MinIO, Ceph) list in
   * byte order already; s3rver orders by its on-disk file names (`a-c` before `a`), so tests
   * against s3rver turn this on. Costs memory proportional to the listing.
   */
  sortListing?: boolean;
  /**
   * HEAD before each PUT (default true): needed where If-None-Match is ignored (s3rver).
   * Servers that honour it (AWS S3, MinIO, Ceph) can turn it off and save a request per put.
   */
  headBeforePut?: boolean;
  /** First retry back-off ceiling (default 50 ms, doubling, full jitter); small in tests. */
  retryBaseDelayMs?: number;
  /** Largest back-off ceiling (default 2000 ms). */
  retryMaxDelayMs?: number;
}

export type S3Op = 'put' | 'get' | 'head' | 'delete' | 'list';
/** HTTP requests sent per kind, retries included: the efficiency counters of issue 5. */
export type S3RequestCounts = Record<S3Op, number>;
export type S3Store = ObjectStore & { readonly requests: Readonly<S3RequestCounts> };

export function createS3Store(opts: S3StoreOptions): S3Store {
  const client = new S3Client({
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    region: opts.region,
    forcePathStyle: opts.forcePathStyle,
    // Empty keys: leave credentials to the SDK default chain (environment, instance role).
    ...(opts.accessKeyId || opts.secretAccessKey
      ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
      : {}),
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      // An idle-socket timeout, not a total one: a stalled server (no byte for this long, while
      // waiting for the answer or mid-body) fails the attempt and it is retried, while a large
      // message moving slowly but steadily is left alone. (The SDK's `requestTimeout` only logs
      // a warning unless throwOnRequestTimeout is set, and counts the upload time too.)
      socketTimeout: opts.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
      connectionTimeout: 5_000,
      httpAgent: { keepAlive: true, maxSockets: opts.maxInFlight },
      httpsAgent: { keepAlive: true, maxSockets: opts.maxInFlight },
    },
  });
  const gate = createRequestGate({
    maxInFlight: opts.maxInFlight,
    retries: opts.retries,
    baseDelayMs: opts.retryBaseDelayMs,
    maxDelayMs: opts.retryMaxDelayMs,
  });
  const Bucket = opts.bucket;
  const putQueue = new PerKeyQueue();
  let closed = false;

  const check = (): void => {
    if (closed) throw new StorageError('UNAVAILABLE', 'object store is closed');
  };
  const requests: S3RequestCounts = { put: 0, get: 0, head: 0, delete: 0, list: 0 };
  async function call<T>(what: S3Op, key: string, op: () => Promise<T>): Promise<T> {
    try {
      return await gate.run(() => {
        requests[what]++;
        return op();
      }, isTransientS3Error);
    } catch (err) {
      throw toStorageError(err, `${what} ${key}`);
    }
  }

  async function headRaw(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await call('head', key, () => client.send(new HeadObjectCommand({ Bucket, Key: key })));
      return { key, size: r.ContentLength ?? 0, meta: decodeMeta(r.Metadata) };
    } catch (err) {
      if ((err as StorageError).code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async function putOnce(key: string, data: Uint8Array, meta: Record<string, string>): Promise<void> {
    if (opts.headBeforePut !== false && (await headRaw(key))) throw new StorageError('EXISTS', `object exists: ${key}`);
    let attempts = 0;
    try {
      await call('put', key, () => {
        attempts++;
        return client.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: data,
            ContentLength: data.byteLength,
            Metadata: meta,
            IfNoneMatch: '*',
          }),
        );
      });
    } catch (err) {
      // A retry refused with 412 may be refused because our own earlier attempt landed and
      // only its answer was lost: the same size and metadata there means it is ours.
      if (attempts > 1 && (err as StorageError).code === 'EXISTS' && (await landed(key, data, meta))) return;
      throw err;
    }
  }

  async function landed(key: string, data: Uint8Array, meta: Record<string, string>): Promise<boolean> {
    const there = await headRaw(key).catch(() => null);
    if (!there || there.size !== data.byteLength) return false;
    const want = decodeMeta(meta);
    const keys = Object.keys(want);
    return keys.length === Object.keys(there.meta).length && keys.every((k) => there.meta[k] === want[k]);
  }

  return {
    driver: 's3',
    requests,
    async put(key, data, meta = {}) {
      check();
      validateKey(key);
      const encoded = encodeMeta(meta);
      // Puts of one key in turn, so the HEAD-then-PUT fallback is race-free within this process.
      await putQueue.run(key, () => putOnce(key, data, encoded));
    },
    async get(key) {
      check();
      validateKey(key);
      return call('get', key, async () => {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        // Read the body inside the gate/retry: a connection reset mid-body is retried too.
        const bytes = r.Body ? await r.Body.transformToByteArray() : new Uint8Array(0);
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        if (r.ContentLength !== undefined && data.length !== r.ContentLength) {
          throw Object.assign(new Error(`short read: ${data.length} of ${r.ContentLength}`), { $retryable: {} });
        }
        return { data, meta: decodeMeta(r.Metadata) };
      });
    },
    async head(key) {
      check();
      validateKey(key);
      return headRaw(key);
    },
    async delete(key) {
      check();
      validateKey(key);
      await call('delete', key, () => client.send(new DeleteObjectCommand({ Bucket, Key: key })));
    },
    list(prefix) {
      check();
      const pages = (async function* () {
        let token: string | undefined;
        do {
          const page = await call('list', prefix, () =>
            client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: opts.listPageSize ?? 1000 })),
          );
          for (const o of page.Contents ?? []) if (o.Key !== undefined) yield o.Key;
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      })();
      if (!opts.sortListing) return pages;
      return (async function* () {
        const all: string[] = [];
        for await (const k of pages) all.push(k);
        yield* all.sort(compareKeys);
      })();
    },
    async close() {
      closed = true;
      client.destroy();
    },
  };
}
