/**
 * Storage bench on S3 (issue 5 "Benchmarks"): s3rver started here, `columba serve` on it (child
 * process, metrics listener on), then
 *   1. LMTP delivery rate and requests per delivery (default upload policy: a diff at each
 *      LMTP session's release, since that is the user's last session),
 *   2. warm login (user still loaded) to first FETCH,
 *   3. restart, metacache kept: login to first FETCH,
 *   4. restart with an empty metacache (cold): login to first FETCH, then a cold FETCH,
 *   5. delivery again with storage.upload.atLogout false (diffs every everyDeliveries),
 * with requests per operation from /metrics (columba_object_requests_total: calls reaching the
 * driver; columba_s3_http_requests_total: HTTP requests, the HEAD before each PUT included).
 * Writes bench/results/storage-s3-<date>.json and .md.
 *
 *   npm run bench:storage -- [--users 4] [--messages 200] [--concurrency 4] [--size 4096] [--out DIR]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addPasswdUser } from '../../core/auth/passwd-file.ts';
import { hashPassword } from '../../core/auth/schemes.ts';
import { startS3rver } from '../../test/storage/s3rver-process.ts';
import { LmtpClient } from '../../test/e2e/lmtp-client.ts';
import { LineClient } from '../../test/net/line-client.ts';
import { startServer, writeServerConfig, type ServerProcess } from './server-process.ts';

export interface StorageBenchOptions {
  users: number;
  messages: number;
  concurrency: number;
  size: number;
  out: string;
}

type PerOp = Record<string, number>;
export interface Phase {
  name: string;
  operations: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds per operation: mean, median, max. */
  latencyMs: { mean: number; median: number; max: number };
  /** Driver calls per operation, by `op:kind`. */
  requests: PerOp;
  /** S3 HTTP requests per operation, by op. */
  http: PerOp;
}
export interface StorageBenchReport {
  date: string;
  options: Omit<StorageBenchOptions, 'out'>;
  phases: Phase[];
}

const PASSWORD = 'bench-secret';
const userName = (i: number) => `sb${String(i + 1).padStart(3, '0')}`;

function message(i: number, size: number): string {
  const line = 'The quick brown fox jumps over the lazy dog, again and again and again.\r\n';
  const body = line.repeat(Math.max(1, Math.ceil(size / line.length)));
  return `From: bench@example.com\r\nTo: user@example.com\r\nSubject: bench ${i}\r\nMessage-ID: <${i}.${Date.now()}@bench>\r\n\r\n${body}`;
}

/** Per-operation deltas of the request counters between two scrapes. */
function requestDelta(before: Map<string, number>, after: Map<string, number>, ops: number): { requests: PerOp; http: PerOp } {
  const requests: PerOp = {};
  const http: PerOp = {};
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d <= 0) continue;
    const req = /^columba_object_requests_total\{op="(\w+)",kind="(\w+)"\}$/.exec(k);
    if (req) requests[`${req[1]}:${req[2]}`] = round(d / ops);
    const h = /^columba_s3_http_requests_total\{op="(\w+)"\}$/.exec(k);
    if (h) http[h[1]!] = round(d / ops);
  }
  return { requests, http };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function latency(ms: number[]): Phase['latencyMs'] {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { mean: round(mean), median: round(s[Math.floor(s.length / 2)] ?? 0), max: round(s.at(-1) ?? 0) };
}

async function measure(name: string, srv: ServerProcess, ops: number, run: (lat: number[]) => Promise<void>): Promise<Phase> {
  const before = await srv.scrape();
  const lat: number[] = [];
  const t0 = performance.now();
  await run(lat);
  const seconds = (performance.now() - t0) / 1000;
  const after = await srv.scrape();
  return { name, operations: ops, seconds: round(seconds), perSecond: round(ops / seconds), latencyMs: latency(lat), ...requestDelta(before, after, ops) };
}

async function deliver(srv: ServerProcess, o: StorageBenchOptions, lat: number[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    const c = await LmtpClient.connect(srv.lmtp);
    try {
      for (let i = next++; i < o.messages; i = next++) {
        const t = performance.now();
        const [r] = await c.deliver({ from: 'bench@example.com', to: [userName(i % o.users)], message: message(i, o.size) });
        if (!r?.startsWith('250')) throw new Error(`delivery ${i}: ${r}`);
        lat.push(performance.now() - t);
      }
    } finally {
      await c.quit();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
}

/** One IMAP session: LOGIN, SELECT INBOX, FETCH 1 BODY.PEEK[]; the time to the first FETCH's OK. */
async function imapSession(port: number, user: string): Promise<{ ms: number; client: LineClient; run: (cmd: string) => Promise<string[]> }> {
  const t = performance.now();
  const c = await LineClient.connect(port);
  await c.next();
  const run = async (cmd: string): Promise<string[]> => {
    c.send(cmd + '\r\n');
    const tag = cmd.split(' ')[0]!;
    const got: string[] = [];
    for (let l = await c.next(); l !== null; l = await c.next()) {
      got.push(l);
      if (l.startsWith(tag + ' ')) {
        if (!l.startsWith(tag + ' OK')) throw new Error(`${cmd}: ${l}`);
        return got;
      }
    }
    throw new Error(`${cmd}: connection closed`);
  };
  await run(`a LOGIN ${user} ${PASSWORD}`);
  await run('b SELECT INBOX');
  await run('c FETCH 1 BODY.PEEK[]');
  const ms = performance.now() - t;
  return { ms, client: c, run };
}

async function logins(srv: ServerProcess, o: StorageBenchOptions, lat: number[]): Promise<void> {
  for (let u = 0; u < o.users; u++) {
    const s = await imapSession(srv.imap, userName(u));
    lat.push(s.ms);
    await s.run('z LOGOUT').catch(() => {});
    s.client.end();
  }
}

export async function runStorageBench(o: StorageBenchOptions): Promise<{ report: StorageBenchReport; json: string; md: string }> {
  const s3 = await startS3rver('columba-bench');
  const home = mkdtempSync(join(tmpdir(), 'columba-s3bench-'));
  const servers: ServerProcess[] = [];
  const start = async (extraYaml = ''): Promise<ServerProcess> => {
    const cfg = writeServerConfig(
      home,
      `storage:\n  driver: s3\n  s3:\n    endpoint: ${s3.endpoint}\n    bucket: ${s3.bucket}\n    forcePathStyle: true\n    sortListing: true\n` +
        `    accessKeyId: S3RVER\n    secretAccessKey: S3RVER\n${extraYaml}`,
    );
    const srv = await startServer(home, cfg);
    servers.push(srv);
    return srv;
  };
  const phases: Phase[] = [];
  try {
    const hashed = await hashPassword(PASSWORD, 'SSHA512');
    for (let u = 0; u < o.users; u++) await addPasswdUser(join(home, 'users'), userName(u), hashed);

    let srv = await start();
    phases.push(await measure('lmtp delivery (atLogout: diff per session)', srv, o.messages, (lat) => deliver(srv, o, lat)));
    phases.push(await measure('warm login to first FETCH (user loaded)', srv, o.users, (lat) => logins(srv, o, lat)));
    await srv.stop();

    srv = await start();
    phases.push(await measure('login to first FETCH (metacache kept, restart)', srv, o.users, (lat) => logins(srv, o, lat)));
    await srv.stop();

    rmSync(join(home, 'metacache'), { recursive: true, force: true });
    srv = await start();
    phases.push(await measure('cold login to first FETCH (empty metacache)', srv, o.users, (lat) => logins(srv, o, lat)));
    // A cold FETCH: a message this process has not read yet, in an open session.
    const s = await imapSession(srv.imap, userName(0));
    const coldFetches = Math.min(10, Math.floor(o.messages / o.users) - 1);
    if (coldFetches > 0) {
      phases.push(
        await measure('cold FETCH BODY.PEEK[] (session open)', srv, coldFetches, async (lat) => {
          for (let i = 0; i < coldFetches; i++) {
            const t = performance.now();
            await s.run(`f${i} FETCH ${i + 2} BODY.PEEK[]`);
            lat.push(performance.now() - t);
          }
        }),
      );
    }
    await s.run('z LOGOUT').catch(() => {});
    s.client.end();
    await srv.stop();

    srv = await start('  upload:\n    atLogout: false\n');
    phases.push(await measure('lmtp delivery (atLogout false: diff every 20)', srv, o.messages, (lat) => deliver(srv, o, lat)));
    await srv.stop();
  } finally {
    for (const srv of servers) await srv.stop().catch(() => {});
    await s3.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const report: StorageBenchReport = { date: new Date().toISOString(), options: { users: o.users, messages: o.messages, concurrency: o.concurrency, size: o.size }, phases };
  return { report, json: JSON.stringify(report, null, 2) + '\n', md: markdown(report) };
}

export function markdown(r: StorageBenchReport): string {
  const fmt = (p: PerOp) => Object.entries(p).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '-';
  const lines = [
    `# Storage bench on s3rver (${r.date})`,
    '',
    `users ${r.options.users}, messages ${r.options.messages}, LMTP connections ${r.options.concurrency}, message size ~${r.options.size} B`,
    '',
    '| phase | ops | ops/s | ms mean | ms median | ms max | driver calls per op | S3 HTTP requests per op |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...r.phases.map((p) => `| ${p.name} | ${p.operations} | ${p.perSecond} | ${p.latencyMs.mean} | ${p.latencyMs.median} | ${p.latencyMs.max} | ${fmt(p.requests)} | ${fmt(p.http)} |`),
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '4' },
      messages: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '4' },
      size: { type: 'string', default: '4096' },
      out: { type: 'string', default: new URL('../results', import.meta.url).pathname },
    },
  });
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: not a positive integer: ${v}`);
    return n;
  };
  const o: StorageBenchOptions = {
    users: num('users', values.users!),
    messages: num('messages', values.messages!),
    concurrency: num('concurrency', values.concurrency!),
    size: num('size', values.size!),
    out: values.out!,
  };
  const { json, md } = await runStorageBench(o);
  mkdirSync(o.out, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
  const base = join(o.out, `storage-s3-${stamp}`);
  writeFileSync(`${base}.json`, json);
  writeFileSync(`${base}.md`, md);
  process.stdout.write(md + `wrote ${base}.json\nwrote ${base}.md\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    process.stderr.write(`bench:storage: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  });
}
