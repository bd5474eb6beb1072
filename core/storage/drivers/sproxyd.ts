/**
 * ObjectStore on Scality sproxyd, the RING's HTTP key/value interface, in by-path mode:
 * PUT/GET/HEAD/DELETE of `<endpoint><path>/<escaped key>` (sproxyd-codec.ts), metadata in
 * X-Scal-Usermd. sproxyd cannot list, so a KeyIndex (key-index.ts; Redis in production) is
 * the listing companion, updated around every put and delete.
 * - No overwrite: PUT carries `If-None-Match: *` (412 -> EXISTS), as Scality's own tools send
 *   it; with `headBeforePut` (default) a HEAD goes first too, for RINGs that ignore the header.
 *   Puts of one key are chained inside the process; across processes on a RING that ignores
 *   the header the HEAD/PUT race remains (last writer wins; only a split brain can collide,
 *   since keys carry fresh GUIDs/timestamps).
 * - A retried PUT that meets 412 checks the stored nonce: its own earlier attempt (which
 *   reached the RING before the connection dropped) counts as success, not EXISTS.
 * - Retries and bounded in-flight via request-gate.ts; failover across endpoints (sproxyd-http.ts).
 * - GET verifies the body length (Content-Length and the size in usermd); a short body is retried.
 */
import { randomBytes } from 'node:crypto';
import { StorageError, isStorageError, type StorageErrorCode } from '../errors.ts';
import { listIndexed, type KeyIndex } from '../key-index.ts';
import type { ObjectInfo, ObjectStore } from '../object-store.ts';
import { validateKey } from './memory.ts';
import { createRequestGate } from './request-gate.ts';
import { decodeUsermd, encodeUsermd, keyPath } from './sproxyd-codec.ts';
import { createEndpointPool, isConnectionError, isTransientSproxydError, SproxydStatusError, type HttpResponse, type SproxydRequest } from './sproxyd-http.ts';
import { PerKeyQueue } from './per-key-queue.ts';

export interface SproxydStoreOptions {
  /** Base URLs of sproxyd connectors, e.g. http://10.0.0.1:81; requests go round-robin. */
  endpoints: string[];
  /** The by-path driver path, e.g. /proxy/bparc. */
  path: string;
  maxInFlight: number;
  retries: number;
  requestTimeoutMs: number;
  /** The listing companion. */
  index: KeyIndex;
  /** HEAD before each PUT (default true), for RINGs that ignore If-None-Match. */
  headBeforePut?: boolean;
  /** Pending index entries whose object is absent are dropped after this (default 15 min). */
  pendingGraceMs?: number;
  /** How long an endpoint that refused a connection is skipped (default 5 s). */
  endpointCooldownMs?: number;
}

export type SproxydOp = 'put' | 'get' | 'head' | 'delete' | 'list';
/**
 * HTTP requests sent per kind, retries and failovers included (issue 5's efficiency counters;
 * same shape as S3Store.requests). `list` stays 0: listings cost Redis calls, plus a HEAD per
 * pending entry (counted under head).
 */
export type SproxydRequestCounts = Record<SproxydOp, number>;
export type SproxydStore = ObjectStore & {
  readonly requests: Readonly<SproxydRequestCounts>;
  readonly endpoints: readonly { url: string; down: boolean }[];
};

function toStorageError(err: unknown, what: string): StorageError {
  if (isStorageError(err)) return err;
  let code: StorageErrorCode;
  if (err instanceof SproxydStatusError) {
    const s = err.status;
    code =
      s === 404 ? 'NOT_FOUND'
      : s === 412 || s === 409 ? 'EXISTS'
      : s === 401 || s === 403 ? 'NO_PERMISSION'
      : s === 413 ? 'TOO_BIG'
      : s === 400 || s === 414 || s === 431 ? 'INVALID'
      : isTransientSproxydError(err) ? 'TEMPORARY'
      : 'UNAVAILABLE';
  } else if (isConnectionError(err)) code = 'UNAVAILABLE';
  else if (isTransientSproxydError(err)) code = 'TEMPORARY';
  else code = 'UNAVAILABLE';
  const msg = err instanceof Error ? err.message : String(err);
  return new StorageError(code, `sproxyd ${what}: ${msg}`, { cause: err });
}

export function createSproxydStore(opts: SproxydStoreOptions): SproxydStore {
  const pool = createEndpointPool({
    endpoints: opts.endpoints,
    maxSockets: opts.maxInFlight,
    requestTimeoutMs: opts.requestTimeoutMs,
    cooldownMs: opts.endpointCooldownMs,
  });
  const gate = createRequestGate({ maxInFlight: opts.maxInFlight, retries: opts.retries });
  const index = opts.index;
  const requests: SproxydRequestCounts = { put: 0, get: 0, head: 0, delete: 0, list: 0 };
  const putQueue = new PerKeyQueue();
  let closed = false;

  const check = (): void => {
    if (closed) throw new StorageError('UNAVAILABLE', 'object store is closed');
  };

  /** One logical request: gate, retries, failover; `accept` lists the statuses that are answers. */
  async function call(what: SproxydOp, key: string, req: SproxydRequest, accept: number[], attempts?: { n: number }): Promise<HttpResponse> {
    try {
      return await gate.run(async () => {
        const res = await pool.send(req, () => {
          requests[what]++;
          if (attempts) attempts.n++;
        });
        if (!accept.includes(res.status)) throw new SproxydStatusError(res.status, `${req.method} answered ${res.status}`);
        return res;
      }, isTransientSproxydError);
    } catch (err) {
      throw toStorageError(err, `${what} ${key}`);
    }
  }

  async function headRaw(key: string): Promise<(ObjectInfo & { nonce: string }) | null> {
    const res = await call('head', key, { method: 'HEAD', path: keyPath(opts.path, key) }, [200, 404]);
    if (res.status === 404) return null;
    const u = decodeUsermd(res.headers['x-scal-usermd']);
    const size = Number(res.headers['content-length'] ?? u?.size ?? 0);
    return { key, size, meta: u?.meta ?? {}, nonce: u?.nonce ?? '' };
  }

  async function putOnce(key: string, data: Uint8Array, meta: Record<string, string>): Promise<void> {
    const nonce = randomBytes(12).toString('base64url');
    const usermd = encodeUsermd({ meta, size: data.byteLength, nonce });
    // Index first: from here on a crash leaves a pending entry that listings settle by HEAD.
    await index.beginPut(key);
    if (opts.headBeforePut !== false && (await headRaw(key))) {
      await index.commitPut(key);
      throw new StorageError('EXISTS', `object exists: ${key}`);
    }
    const attempts = { n: 0 };
    try {
      await call(
        'put',
        key,
        {
          method: 'PUT',
          path: keyPath(opts.path, key),
          headers: { 'x-scal-usermd': usermd, 'if-none-match': '*', 'content-type': 'application/octet-stream' },
          body: data,
        },
        [200, 201, 204],
        attempts,
      );
    } catch (err) {
      if (!isStorageError(err, 'EXISTS')) throw err;
      // An earlier attempt of ours may have landed before its connection dropped.
      const mine = attempts.n > 1 && (await headRaw(key))?.nonce === nonce;
      if (!mine) {
        await index.commitPut(key); // the object exists (another writer's): list it
        throw err;
      }
    }
    await index.commitPut(key);
  }

  return {
    driver: 'sproxyd',
    requests,
    get endpoints() {
      return pool.endpoints;
    },
    async put(key, data, meta = {}) {
      check();
      validateKey(key);
      await putQueue.run(key, () => putOnce(key, data, meta));
    },
    async get(key) {
      check();
      validateKey(key);
      const path = keyPath(opts.path, key);
      try {
        return await gate.run(async () => {
          const res = await pool.send({ method: 'GET', path }, () => requests.get++);
          if (res.status !== 200) throw new SproxydStatusError(res.status, `GET answered ${res.status}`);
          const u = decodeUsermd(res.headers['x-scal-usermd']);
          const declared = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : res.body.length;
          const expected = u && u.size >= 0 ? u.size : declared;
          // Inside the retry: a body cut short by a dropped connection is fetched again.
          if (res.body.length !== declared || res.body.length !== expected) {
            throw Object.assign(new Error(`short read: ${res.body.length} of ${expected} bytes`), { code: 'ESHORTBODY' });
          }
          return { data: res.body, meta: u?.meta ?? {} };
        }, isTransientSproxydError);
      } catch (err) {
        throw toStorageError(err, `get ${key}`);
      }
    },
    async head(key) {
      check();
      validateKey(key);
      const h = await headRaw(key);
      return h && { key: h.key, size: h.size, meta: h.meta };
    },
    async delete(key) {
      check();
      validateKey(key);
      await index.beginDelete(key);
      // 423 Locked (recent access to the key) is retried by the gate.
      await call('delete', key, { method: 'DELETE', path: keyPath(opts.path, key) }, [200, 202, 204, 404]);
      await index.finishDelete(key);
    },
    list(prefix) {
      check();
      return listIndexed(index, prefix, {
        exists: async (key) => (await headRaw(key)) !== null,
        pendingGraceMs: opts.pendingGraceMs ?? 15 * 60_000,
      });
    },
    async close() {
      closed = true;
      pool.close();
      await index.close();
    },
  };
}
