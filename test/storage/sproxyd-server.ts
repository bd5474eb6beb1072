/**
 * A stand-in for Scality sproxyd in tests: no real sproxyd exists in Debian or npm, so this
 * small loopback HTTP server speaks the by-path protocol the driver relies on:
 *   PUT/GET/HEAD/DELETE <base>/<path>, X-Scal-Usermd stored opaquely and returned on GET/HEAD,
 *   `If-None-Match: *` on PUT -> 412 when the key exists, Range GETs -> 206, 404 when missing,
 *   GET <base>/.conf -> 200 (health check), and it refuses (400) empty or dot-only path
 *   segments, which a real front end could normalise away.
 * State lives on disk in a folder (so two instances on one folder act as two connectors of one
 * RING). Test-only control under /_test/: `POST /_test/fault` {count, status?, truncate?,
 * afterWrite?, delayMs?, methods?} makes the next matching requests fail or stall; `GET /_test/stats` counts requests.
 *
 * Any `/proxy/<driver>/` prefix is served, each its own namespace (tests isolate stores so).
 * Run as a child process: `node --import tsx test/storage/sproxyd-server.ts DIR`, prints
 * `PORT n`. `startSproxydServer()` does that and stops it by pid.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Fault {
  /** How many matching requests fail. */
  count: number;
  /** Answer this status (default 503)... */
  status?: number;
  /** ...or, for GET, send the headers and half the body, then drop the connection. */
  truncate?: boolean;
  /** Answer normally, but only after this long (a slow connector). */
  delayMs?: number;
  /** For PUT: store the object first, then answer `status` (a lost reply). */
  afterWrite?: boolean;
  /** Only these methods (default all). */
  methods?: string[];
}

// ---------------------------------------------------------------- server (child process)

function serve(dir: string): void {
  const faults: Fault[] = [];
  const stats: Record<string, number> = {};
  const fileOf = (path: string): string => join(dir, createHash('sha256').update(path, 'utf8').digest('hex'));

  /** Stored file: 4-byte header length, JSON header {path, usermd}, body. */
  async function load(file: string): Promise<{ usermd: string | null; body: Buffer } | null> {
    try {
      const raw = await readFile(file);
      const n = raw.readUInt32BE(0);
      const header = JSON.parse(raw.subarray(4, 4 + n).toString('utf8')) as { usermd: string | null };
      return { usermd: header.usermd, body: raw.subarray(4 + n) };
    } catch {
      return null;
    }
  }

  function decodePath(raw: string): string | null {
    const segs = raw.split('/');
    const out: string[] = [];
    for (const s of segs) {
      let d: string;
      try {
        d = decodeURIComponent(s);
      } catch {
        return null;
      }
      if (d === '' || /^\.+$/.test(d)) return null;
      out.push(d);
    }
    return out.join('/');
  }

  const takeFault = (method: string): Fault | null => {
    const f = faults[0];
    if (!f || (f.methods && !f.methods.includes(method))) return null;
    if (--f.count <= 0) faults.shift();
    return f;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks)).catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const url = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (url === '/_test/fault' && method === 'POST') {
      faults.push(JSON.parse(body.toString('utf8')) as Fault);
      return void res.end('ok');
    }
    if (url === '/_test/stats') return void res.end(JSON.stringify(stats));
    stats[method] = (stats[method] ?? 0) + 1;
    // Any /proxy/<driver>/: tests give each store its own driver name as a namespace.
    const route = /^\/proxy\/([^/]+)\/(.*)$/s.exec(url);
    if (!route) return void ((res.statusCode = 404), res.end());
    if (route[2] === '.conf' && method === 'GET') return void res.end(JSON.stringify({ 'ring.by_path': true }));

    const fault = takeFault(method);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    else if (fault && !fault.truncate && !fault.afterWrite) return void ((res.statusCode = fault.status ?? 503), res.end());
    const path = decodePath(route[2]!);
    if (path === null) return void ((res.statusCode = 400), res.end('bad path'));
    const file = fileOf(`${route[1]}\0${path}`);

    if (method === 'PUT') {
      if (Number(req.headers['content-length'] ?? 0) !== body.length) return void ((res.statusCode = 400), res.end('length'));
      const usermd = (req.headers['x-scal-usermd'] as string | undefined) ?? null;
      const header = Buffer.from(JSON.stringify({ path, usermd }), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(header.length);
      const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
      await writeFile(tmp, Buffer.concat([len, header, body]));
      try {
        // link() fails if the name exists: the atomic test-and-create behind If-None-Match.
        if (req.headers['if-none-match'] === '*') await link(tmp, file);
        else await rename(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        res.statusCode = 412;
      } finally {
        await unlink(tmp).catch(() => {});
      }
      // Stored, then answered with an error: what a client sees when the reply is lost.
      if (fault?.afterWrite && res.statusCode === 200) res.statusCode = fault.status ?? 503;
      return void res.end();
    }
    if (method === 'DELETE') {
      try {
        await unlink(file);
      } catch {
        res.statusCode = 404;
      }
      return void res.end();
    }
    if (method === 'GET' || method === 'HEAD') {
      const obj = await load(file);
      if (!obj) return void ((res.statusCode = 404), res.end());
      if (obj.usermd !== null) res.setHeader('X-Scal-Usermd', obj.usermd);
      res.setHeader('Content-Type', 'application/octet-stream');
      let data = obj.body;
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
      if (range && method === 'GET') {
        const from = Number(range[1]);
        const to = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
        res.statusCode = 206;
        res.setHeader('Content-Range', `bytes ${from}-${to}/${data.length}`);
        data = data.subarray(from, to + 1);
      }
      res.setHeader('Content-Length', data.length);
      if (method === 'HEAD') return void res.end();
      if (fault?.truncate) {
        res.write(data.subarray(0, data.length >> 1));
        return void setImmediate(() => res.destroy());
      }
      return void res.end(data);
    }
    res.statusCode = 405;
    res.end();
  }

  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  serve(process.argv[2]!);
}

// ---------------------------------------------------------------- test side

export interface SproxydHandle {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** A by-path driver prefix; any /proxy/<name> works, each its own namespace. */
  basePath: string;
  dir: string;
  pid: number;
  fault(f: Fault): Promise<void>;
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts a stand-in on a free port; `dir` shares state with another instance (not removed on stop). */
export async function startSproxydServer(opts: { dir?: string; basePath?: string } = {}): Promise<SproxydHandle> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'columba-sproxyd-'));
  const basePath = opts.basePath ?? '/proxy/bparc';
  const proc = spawn(process.execPath, ['--import', 'tsx', self, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`sproxyd stand-in exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    basePath,
    dir,
    pid: proc.pid!,
    async fault(f) {
      const r = await fetch(`${endpoint}/_test/fault`, { method: 'POST', body: JSON.stringify(f) });
      if (!r.ok) throw new Error(`fault setup failed: ${r.status}`);
    },
    async stats() {
      return (await (await fetch(`${endpoint}/_test/stats`)).json()) as Record<string, number>;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid!, 'SIGTERM');
        await exited;
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
