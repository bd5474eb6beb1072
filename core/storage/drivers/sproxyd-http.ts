/**
 * HTTP for the sproxyd driver: one keep-alive agent per endpoint, round-robin over endpoints,
 * and failover: an endpoint that refuses or drops connections is skipped for `cooldownMs` and
 * the same request goes to the next one at once (Scality's own clients fail over the same way).
 * Responses are read whole: sproxyd objects here are messages and index bundles.
 */
import http from 'node:http';
import https from 'node:https';
import { StorageError, isStorageError } from '../errors.ts';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SproxydRequest {
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** A non-2xx answer from sproxyd. */
export class SproxydStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SproxydStatusError';
  }
}

/** Connection-level failures: the endpoint is unreachable or dropped us. */
const CONNECT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_STATUS = new Set([408, 422, 423, 429, 500, 502, 503, 504]);

export function isConnectionError(err: unknown): boolean {
  return CONNECT.has((err as { code?: string })?.code ?? '');
}

/** Worth a retry: 5xx, 423 Locked (sproxyd on a busy key), 422 (RING status), throttling, timeouts, resets, short bodies. */
export function isTransientSproxydError(err: unknown): boolean {
  if (isStorageError(err)) return err.code === 'TEMPORARY' || err.code === 'UNAVAILABLE';
  if (err instanceof SproxydStatusError) return TRANSIENT_STATUS.has(err.status) || err.status >= 500;
  const code = (err as { code?: string })?.code ?? '';
  return CONNECT.has(code) || code === 'ETIMEDOUT' || code === 'ESHORTBODY';
}

export interface EndpointPoolOptions {
  endpoints: string[];
  maxSockets: number;
  requestTimeoutMs: number;
  /** How long a failed endpoint is skipped. */
  cooldownMs?: number;
  now?: () => number;
}

interface Endpoint {
  url: URL;
  agent: http.Agent;
  downUntil: number;
}

export interface EndpointPool {
  /** Sends to the next live endpoint, failing over on connection errors. `onSend` counts each attempt. */
  send(req: SproxydRequest, onSend: () => void): Promise<HttpResponse>;
  readonly endpoints: readonly { url: string; down: boolean }[];
  close(): void;
}

export function createEndpointPool(opts: EndpointPoolOptions): EndpointPool {
  if (opts.endpoints.length === 0) throw new StorageError('INVALID', 'sproxyd: no endpoints configured');
  const now = opts.now ?? Date.now;
  const cooldown = opts.cooldownMs ?? 5000;
  const eps: Endpoint[] = opts.endpoints.map((u) => {
    const url = new URL(u);
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    return { url, agent: new Agent({ keepAlive: true, maxSockets: opts.maxSockets }), downUntil: 0 };
  });
  let next = 0;

  /** Live endpoints in round-robin order from the cursor, then the down ones (soonest back first). */
  function order(): Endpoint[] {
    const t = now();
    const start = next++ % eps.length;
    const rotated = [...eps.slice(start), ...eps.slice(0, start)];
    const live = rotated.filter((e) => e.downUntil <= t);
    const down = rotated.filter((e) => e.downUntil > t).sort((a, b) => a.downUntil - b.downUntil);
    return [...live, ...down];
  }

  function once(ep: Endpoint, req: SproxydRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body) headers['content-length'] = String(req.body.byteLength);
      else if (req.method === 'PUT') headers['content-length'] = '0';
      const r = (ep.url.protocol === 'https:' ? https : http).request(
        {
          protocol: ep.url.protocol,
          hostname: ep.url.hostname,
          port: ep.url.port,
          method: req.method,
          // An endpoint URL with a path (a reverse proxy prefix) is prepended.
          path: ep.url.pathname.replace(/\/+$/, '') + req.path,
          headers,
          agent: ep.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          // A connection dropped mid-body: the caller sees a short body or this error.
          res.on('aborted', () => reject(Object.assign(new Error('sproxyd response aborted'), { code: 'ECONNRESET' })));
          res.on('error', reject);
        },
      );
      r.setNoDelay(true);
      r.setTimeout(opts.requestTimeoutMs, () => r.destroy(Object.assign(new Error(`sproxyd request timed out after ${opts.requestTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      r.end(req.body ? Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength) : undefined);
    });
  }

  return {
    async send(req, onSend) {
      let lastErr: unknown;
      for (const ep of order()) {
        onSend();
        try {
          return await once(ep, req);
        } catch (err) {
          lastErr = err;
          if (!isConnectionError(err)) throw err;
          // Refused/unreachable: skip it for a while. A reset may be a stale keep-alive
          // socket of a healthy endpoint: just try the next one.
          if (UNREACHABLE.has((err as { code?: string }).code ?? '')) ep.downUntil = now() + cooldown;
        }
      }
      throw lastErr;
    },
    get endpoints() {
      const t = now();
      return eps.map((e) => ({ url: e.url.href, down: e.downUntil > t }));
    },
    close() {
      for (const e of eps) e.agent.destroy();
    },
  };
}
