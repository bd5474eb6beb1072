/**
 * A fault-injecting HTTP proxy for S3 tests: it listens on 127.0.0.1 (free port), forwards every
 * request to a real S3 server (s3rver) and, for requests that match a rule, injects a fault
 * instead of (or on top of) the real answer. It records what it did to every request.
 *
 *   const proxy = await startFaultProxy(s3.endpoint);
 *   proxy.inject({ op: 'put', key: /\/m\//, times: 2, fault: { kind: 'status', status: 503, code: 'SlowDown' } });
 *   ... point the S3 driver at proxy.endpoint ...
 *   proxy.log  // [{ op: 'put', key, fault: 'status', status: 503 }, { op: 'put', key, fault: 'pass', status: 200 }]
 *
 * Rules are tried in the order they were added; the first that matches and still has a count
 * left decides. Requests carry path-style URLs (`/bucket/key`), which is what the driver sends
 * with forcePathStyle. Headers are forwarded untouched (SigV4 signs the Host header).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rng as seeded } from '../wasm/random.ts';

export type S3Op = 'put' | 'get' | 'head' | 'delete' | 'list' | 'other';

export type Fault =
  /** Answer with an S3 error document (500 InternalError, 503 SlowDown, 429, ...). With
   *  `forward`, the request reaches the server first (the change happens) and only the
   *  answer is replaced: a "failed" PUT that was in fact stored. */
  | { kind: 'status'; status: number; code: string; forward?: boolean }
  /** Read the whole request, wait `ms`, then forward it (even if the client is gone by then:
   *  a request already on the wire when its sender dies still reaches the server). */
  | { kind: 'delay'; ms: number }
  /** Read the request, never answer (until the client gives up or the proxy closes). */
  | { kind: 'timeout' }
  /** Destroy the connection after reading part of the request body (nothing reaches the server). */
  | { kind: 'reset-request' }
  /** Forward, then cut the connection after `afterBytes` bytes of the response body (0: right
   *  after the status line and headers). */
  | { kind: 'reset-response'; afterBytes: number }
  /** Forward (the change happens), then close the connection without any answer. */
  | { kind: 'lost-response' }
  /** Forward, but send the response body `bytesPerTick` bytes every `tickMs` ms. */
  | { kind: 'slow'; bytesPerTick: number; tickMs: number }
  /** Forward; send the real Content-Length but only `keepBytes` body bytes (at most length-1), then close.
   *  (This and reset-response cut before the headers when the body is empty.) */
  | { kind: 'truncate'; keepBytes: number };

export interface FaultRule {
  /** S3 operation (from method and query); list = GET on the bucket. */
  op?: S3Op;
  method?: string;
  /** Tested against the decoded object key (for list: the prefix). */
  key?: RegExp;
  /** Let the first `skip` matching requests through untouched. */
  skip?: number;
  /** Faults to inject before the rule is spent (default: every match). */
  times?: number;
  /** Inject with this probability (seeded, see startFaultProxy), after skip. */
  probability?: number;
  fault: Fault;
}

export interface ProxyEvent {
  op: S3Op;
  method: string;
  key: string;
  /** 'pass' when forwarded untouched. */
  fault: Fault['kind'] | 'pass';
  /** Status the client saw (0 when it saw none). */
  status: number;
}

export interface FaultProxy {
  endpoint: string;
  inject(rule: FaultRule): void;
  /** Remove every rule and empty the log: from now on everything passes. */
  clear(): void;
  readonly log: ProxyEvent[];
  /** Events that injected a fault (not 'pass'). */
  faults(): ProxyEvent[];
  close(): Promise<void>;
}


/** Operation and key of a path-style S3 request. */
export function classify(method: string, url: string): { op: S3Op; key: string } {
  const u = new URL(url, 'http://x');
  const path = u.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  if (slash < 0 || key === '') {
    if (method === 'GET' && u.searchParams.has('list-type')) return { op: 'list', key: u.searchParams.get('prefix') ?? '' };
    return { op: 'other', key: '' };
  }
  const op = ({ PUT: 'put', GET: 'get', HEAD: 'head', DELETE: 'delete' } as Record<string, S3Op>)[method] ?? 'other';
  return { op, key };
}

interface LiveRule extends FaultRule {
  seen: number;
  fired: number;
}

export async function startFaultProxy(upstream: string, opts: { seed?: number } = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const random = seeded(opts.seed ?? 1);
  let rules: LiveRule[] = [];
  const log: ProxyEvent[] = [];
  const sockets = new Set<Socket>();

  const pick = (op: S3Op, method: string, key: string): Fault | null => {
    for (const r of rules) {
      if (r.op !== undefined && r.op !== op) continue;
      if (r.method !== undefined && r.method !== method) continue;
      if (r.key !== undefined && !r.key.test(key)) continue;
      if (r.times !== undefined && r.fired >= r.times) continue;
      r.seen++;
      // A rule that lets this request through leaves it to the rules after it.
      if (r.seen <= (r.skip ?? 0)) continue;
      if (r.probability !== undefined && random() >= r.probability) continue;
      r.fired++;
      return r.fault;
    }
    return null;
  };

  /** Sends the request upstream (body piped from the client); resolves with the upstream response. */
  const forward = (req: IncomingMessage, body?: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        resolve,
      );
      up.on('error', reject);
      if (body) up.end(body);
      else req.pipe(up);
    });

  const errorDocument = (res: ServerResponse, status: number, code: string): void => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected ${code}</Message></Error>`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    return Buffer.concat(parts);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { op, key } = classify(method, req.url ?? '/');
    const fault = pick(op, method, key);
    const event: ProxyEvent = { op, method, key, fault: fault?.kind ?? 'pass', status: 0 };
    log.push(event);
    const cut = (): void => {
      req.socket.destroy();
    };

    if (fault?.kind === 'timeout') {
      req.resume(); // drain the body; the answer never comes
      return;
    }
    if (fault?.kind === 'reset-request') {
      req.once('data', cut);
      req.once('end', cut);
      req.resume();
      return;
    }
    if (fault?.kind === 'status' && !fault.forward) {
      await readAll(req);
      event.status = fault.status;
      return errorDocument(res, fault.status, fault.code);
    }

    let up: IncomingMessage;
    if (fault?.kind === 'delay') {
      const body = await readAll(req);
      if (!req.complete) return; // the sender died mid-body: nothing whole to deliver
      await new Promise((r) => setTimeout(r, fault.ms));
      up = await forward(req, body);
      if (req.socket.destroyed) {
        event.status = up.statusCode ?? 0;
        return void up.resume();
      }
    } else up = await forward(req);
    if (fault?.kind === 'lost-response') {
      await readAll(up);
      return cut();
    }
    if (fault?.kind === 'status') {
      await readAll(up);
      event.status = fault.status;
      return errorDocument(res, fault.status, fault.code);
    }
    const body = await readAll(up);
    // A body fault on an empty body (PUT, DELETE, HEAD answers) cuts before the headers:
    // otherwise the answer would already be complete and the fault no fault at all.
    if ((fault?.kind === 'reset-response' || fault?.kind === 'truncate') && body.length === 0) return cut();
    event.status = up.statusCode ?? 0;
    // Hop-by-hop framing is ours to choose: always answer with an explicit Content-Length.
    const headers = { ...up.headers };
    delete headers['transfer-encoding'];
    delete headers['connection'];
    if (method !== 'HEAD') headers['content-length'] = String(body.length);
    res.writeHead(up.statusCode ?? 502, headers);

    if (fault?.kind === 'reset-response') {
      if (fault.afterBytes > 0) res.write(body.subarray(0, Math.min(fault.afterBytes, Math.max(0, body.length - 1))));
      res.flushHeaders();
      return void setTimeout(cut, 10);
    }
    if (fault?.kind === 'truncate') {
      const keep = Math.min(fault.keepBytes, Math.max(0, body.length - 1));
      res.write(body.subarray(0, keep));
      return void setTimeout(cut, 10);
    }
    if (fault?.kind === 'slow') {
      for (let i = 0; i < body.length && !res.destroyed; i += fault.bytesPerTick) {
        res.write(body.subarray(i, i + fault.bytesPerTick));
        await new Promise((r) => setTimeout(r, fault.tickMs));
      }
      res.end();
      return;
    }
    res.end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject(rule) {
      rules.push({ ...rule, seen: 0, fired: 0 });
    },
    clear() {
      rules = [];
      log.length = 0;
    },
    log,
    faults: () => log.filter((e) => e.fault !== 'pass'),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
