/**
 * `npm run bench:load -- --protocol imap --clients 20 --users 10 --seconds 20 [--dovecot]
 *   [--against imap://user:pass@127.0.0.1:143]`
 * Starts Columba (and with --dovecot a private Dovecot in each login mode), gives each the same
 * users and mail, runs the workloads alternating targets round by round (A B A B), prints the
 * figures and the ratio Columba / other with its spread, and writes
 * bench/results/load-<date>.json, load-<date>.md and SVG plots.
 * --against runs the IMAP mix on that account's INBOX, which APPENDs and EXPUNGEs: test accounts only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dovecotVersion, startDovecot } from '../dovecot/dovecot.ts';
import { flameGraphsIn } from '../report/flamegraph.ts';
import { markdownReport } from '../report/markdown.ts';
import { summarize } from '../report/summary.ts';
import { histogramChart, lineChart } from '../report/svg.ts';
import { startColumba } from './columba-target.ts';
import { assertLoopback } from './conn.ts';
import { messagePools, preload, runScenario, type RunRecord, type ScenarioOptions, type Workload } from './scenario.ts';
import { benchUsers, type Target } from './target.ts';

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'imap' },
    session: { type: 'string', default: 'login,persistent' },
    clients: { type: 'string', default: '20' },
    users: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' },
    'max-ops': { type: 'string' },
    rounds: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    preload: { type: 'string', default: '100' },
    'imap-max-bytes': { type: 'string', default: String(1024 * 1024) },
    'lmtp-max-bytes': { type: 'string', default: String(10 * 1024 * 1024) },
    'lmtp-recipients': { type: 'string', default: '3' },
    'lmtp-fixed-bytes': { type: 'string' },
    dovecot: { type: 'boolean', default: false },
    'dovecot-modes': { type: 'string', default: 'high-security,high-performance' },
    'dovecot-mail': { type: 'string', default: 'maildir' },
    against: { type: 'string' },
    'no-columba': { type: 'boolean', default: false },
    'columba-config': { type: 'string', default: '' },
    /** Write V8 CPU profiles of the Columba server here (node --cpu-prof), one per round. */
    'columba-cpu-prof': { type: 'string' },
    out: { type: 'string' },
  },
});

const num = (s: string | undefined, name: string): number => {
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a number: ${s}`);
  return n;
};

const protocols = values.protocol!.split(',').flatMap((p) => (p === 'all' ? ['imap', 'pop3', 'lmtp'] : [p]));
const workloads: Workload[] = [];
for (const p of protocols) {
  if (p === 'imap') for (const s of values.session!.split(',')) workloads.push(s === 'persistent' ? 'imap-persistent' : 'imap-login');
  else if (p === 'pop3' || p === 'lmtp') workloads.push(p);
  else throw new Error(`unknown protocol ${p}`);
}

const userCount = num(values.users, 'users');
const scenario: ScenarioOptions = {
  workloads,
  clientCounts: values.clients!.split(',').map((c) => num(c, 'clients')),
  seconds: num(values.seconds, 'seconds'),
  maxOps: values['max-ops'] ? num(values['max-ops'], 'max-ops') : undefined,
  seed: num(values.seed, 'seed'),
  preloadPerUser: num(values.preload, 'preload'),
  imapMaxBytes: num(values['imap-max-bytes'], 'imap-max-bytes'),
  lmtpMaxBytes: num(values['lmtp-max-bytes'], 'lmtp-max-bytes'),
  lmtpRecipients: num(values['lmtp-recipients'], 'lmtp-recipients'),
  lmtpFixedBytes: values['lmtp-fixed-bytes'] ? num(values['lmtp-fixed-bytes'], 'lmtp-fixed-bytes') : undefined,
  log: (l) => console.log(l),
};
const rounds = num(values.rounds, 'rounds');

/** How to start each target afresh for a round (fresh data: every round starts from the same mail). */
type Starter = { label: string; start: () => Promise<Target> };
const starters: Starter[] = [];
const users = benchUsers(userCount);
if (!values['no-columba']) {
  const extra = values['columba-config']!.replace(/\\n/g, '\n');
  const prof = values['columba-cpu-prof'];
  const nodeFlags = prof ? ['--cpu-prof', '--cpu-prof-dir', resolve(prof)] : [];
  starters.push({ label: 'columba', start: () => startColumba({ users, extraConfig: extra, nodeFlags }) });
}
if (values.dovecot) {
  for (const mode of values['dovecot-modes']!.split(',') as Array<'high-security' | 'high-performance'>) {
    starters.push({ label: mode, start: () => startDovecot({ users, mode, mailFormat: values['dovecot-mail'] as 'maildir' }) });
  }
}
if (values.against) {
  const u = new URL(values.against);
  if (u.protocol !== 'imap:') throw new Error('--against takes imap://user:pass@host:port');
  assertLoopback(u.hostname);
  const target: Target = {
    label: 'external',
    host: u.hostname,
    ports: { imap: Number(u.port || 143), pop3: null, lmtp: null },
    pid: null,
    users: [{ name: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }],
    stop: async () => {},
  };
  starters.push({ label: 'external', start: async () => target });
}
if (starters.length === 0) throw new Error('no target: drop --no-columba or give --dovecot / --against');

const pools = messagePools(scenario);
const records: RunRecord[] = [];
const notes: string[] = [];
const t0 = Date.now();
for (let round = 1; round <= rounds; round++) {
  for (const s of starters) {
    const target = await s.start();
    try {
      const started = Date.now();
      const n = await preload(target, target.pid === null ? 0 : scenario.preloadPerUser, scenario.seed, scenario.imapMaxBytes);
      console.log(`${target.label}: round ${round}, preloaded ${n.delivered} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (n.failed > 0) {
        const note = `${target.label} refused ${n.failed} of ${n.delivered + n.failed} preload deliveries in round ${round} (${n.samples[0] ?? ''})`;
        console.log(`WARNING: ${note}`);
        notes.push(note);
      }
      records.push(...(await runScenario(target, round, scenario, pools)));
    } catch (err) {
      console.error(`${target.label}: ${(err as Error).message}\n${target.output?.().slice(-3000) ?? ''}`);
      throw err;
    } finally {
      await target.stop();
    }
  }
}

const { cells, ratios } = summarize(records);
console.log('\nColumba / other (ratio of means, per-round min–max):');
for (const r of ratios) {
  if (r.figure === 'opsPerSecond' || r.figure === 'p99Ms' || r.figure === 'cpuSecondsPer1000Ops') {
    console.log(`  ${r.workload.padEnd(15)} c=${String(r.clients).padEnd(4)} vs ${r.against.padEnd(11)} ${r.figure.padEnd(20)} ${r.ratio.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`);
  }
}

const date = new Date().toISOString();
const stamp = date.slice(0, 16).replace(/[:T]/g, '-');
const outDir = values.out ?? fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const command = `npm run bench:load -- ${process.argv.slice(2).join(' ')}`;
if (values['columba-config']) notes.push(`Columba extra config: \`${values['columba-config']}\``);
const plots: string[] = [];
const targets = [...new Set(records.map((r) => r.target))];
if (scenario.clientCounts.length > 1) {
  const name = `load-${stamp}-throughput.svg`;
  const series = targets.flatMap((t) =>
    workloads.map((w) => ({
      name: `${t} ${w}`,
      points: cells.filter((c) => c.target === t && c.workload === w).map((c) => [c.clients, c.figures.opsPerSecond?.mean ?? 0] as [number, number]),
    })),
  );
  writeFileSync(join(outDir, name), lineChart('Throughput per client count', 'clients', 'operations / s', series));
  plots.push(name);
}
for (const w of workloads) {
  const name = `load-${stamp}-latency-${w}.svg`;
  const c = Math.max(...scenario.clientCounts);
  const hists = targets.map((t) => {
    const merged = new Map<string, number>();
    for (const r of records.filter((x) => x.target === t && x.workload === w && x.clients === c)) {
      for (const [lo, hi, n] of r.result.histogram) merged.set(`${lo}|${hi}`, (merged.get(`${lo}|${hi}`) ?? 0) + n);
    }
    return { name: t, buckets: [...merged].map(([k, n]) => [...k.split('|').map(Number), n] as [number, number, number]) };
  });
  writeFileSync(join(outDir, name), histogramChart(`Latency, ${w}, ${c} clients`, hists));
  plots.push(name);
}
const meta = {
  date,
  command,
  node: process.version,
  cpus: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  dovecot: values.dovecot ? dovecotVersion() : null,
  seconds: scenario.seconds,
  rounds,
  users: userCount,
  notes,
};
const json = join(outDir, `load-${stamp}.json`);
writeFileSync(json, JSON.stringify({ meta, options: { ...scenario, log: undefined }, cells, ratios, runs: records }));
writeFileSync(join(outDir, `load-${stamp}.md`), markdownReport(meta, cells, ratios, plots));
console.log(`\nwrote ${json} and load-${stamp}.md (${((Date.now() - t0) / 1000).toFixed(0)} s in all)`);
if (values['columba-cpu-prof']) {
  for (const svg of flameGraphsIn(resolve(values['columba-cpu-prof']))) console.log(`flame graph: ${svg}`);
}
