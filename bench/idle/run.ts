/**
 * `npm run bench:idle -- [options]` (or `columba bench idle ...`): memory per idle IMAP
 * connection (logged in, INBOX selected, in IDLE) at growing N, for Columba and, with --dovecot,
 * Dovecot in several configurations. Writes bench/results/idle-<date>.json and .md.
 *
 *   --connections 1000,10000,50000   steps (one server run grows through them)
 *   --users N                        default: max(50, largest step / 50)
 *   --dovecot                        add Dovecot (--dovecot-modes, --dovecot-max)
 *   --dovecot-modes LIST             high-security,high-performance,hp-hibernate,hp-client-limit
 *   --dovecot-max N                  Dovecot steps above N are skipped (default 10000: a process each)
 *   --no-columba                     Dovecot only
 *   --concurrency N                  logins in flight (default 64)
 *   --client-processes N             default: one per 15k connections (or per fd limit)
 *   --scheme S                       password scheme of both servers (default SHA512-CRYPT)
 *   --preload N                      messages per user (default 2)
 *   --settle S                       seconds before each sample (default 3)
 *   --warmup N                       logins opened and closed before the baseline (default 200)
 *   --columba-config 'yaml\n  lines' extra Columba config, layered over the bench's (which sets limits:)
 *   --heap-snapshot DIR              Columba: a heap snapshot after each step (inflates later steps)
 *   --out DIR                        default bench/results
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isHashScheme, type HashScheme } from '../../core/auth/schemes.ts';
import { dovecotVersion, startDovecot } from '../dovecot/dovecot.ts';
import { startColumba } from '../load/columba-target.ts';
import { benchUsers } from '../load/target.ts';
import { runIdleTarget, stopOnSignal, type IdleBenchOptions } from './bench.ts';
import { baseMode, dovecotIdleLabel, idleConfigTransform, isDovecotIdleMode, type DovecotIdleMode } from './dovecot-modes.ts';
import { connectionsPerProcess, prepareLimits } from './limits.ts';
import { writeIdleReport, type IdleReport, type IdleTargetRecord } from './report.ts';

function parse() {
  return parseArgs({
    options: {
      connections: { type: 'string', default: '1000' },
      users: { type: 'string' },
      dovecot: { type: 'boolean', default: false },
      'dovecot-modes': { type: 'string', default: 'high-security,high-performance,hp-hibernate,hp-client-limit' },
      'dovecot-max': { type: 'string', default: '10000' },
      'no-columba': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '64' },
      'client-processes': { type: 'string', default: '0' },
      scheme: { type: 'string', default: 'SHA512-CRYPT' },
      preload: { type: 'string', default: '2' },
      settle: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '200' },
      'columba-config': { type: 'string', default: '' },
      'heap-snapshot': { type: 'string' },
      out: { type: 'string' },
    },
  });
}

function fail(msg: string): never {
  process.stderr.write(`bench idle: ${msg}\n`);
  process.exit(2);
}
let parsed: ReturnType<typeof parse>;
try {
  parsed = parse();
} catch (err) {
  fail((err as Error).message);
}
const { values } = parsed;
const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name}: not a whole number: ${v}`);
  return n;
};

const steps = values.connections!.split(',').map((s) => positive('connections', s)).sort((a, b) => a - b);
if (steps.length === 0 || steps[0]! <= 0) fail('--connections: give at least one positive count');
const max = steps[steps.length - 1]!;
const users = benchUsers(values.users ? positive('users', values.users) : Math.max(50, Math.ceil(max / 50)));
if (!isHashScheme(values.scheme!)) fail(`--scheme: unknown scheme ${values.scheme}`);
const scheme: HashScheme = values.scheme;
const modes = values['dovecot-modes']!.split(',').filter(Boolean);
for (const m of modes) if (!isDovecotIdleMode(m)) fail(`--dovecot-modes: unknown mode ${m}`);
const dovecotMax = positive('dovecot-max', values['dovecot-max']);
const outDir = values.out ? resolve(values.out) : fileURLToPath(new URL('../results/', import.meta.url));
const heapDir = values['heap-snapshot'] ? resolve(values['heap-snapshot']) : undefined;
if (heapDir) execFileSync('mkdir', ['-p', heapDir]);

stopOnSignal();
const limits = prepareLimits(max, values.dovecot ? Math.min(max, dovecotMax) * 2 : 0);
// Where RLIMIT_NOFILE cannot be raised, N is spread over several Columba processes (each its own
// port and home, same users and mail) and several client processes.
const perProcess = connectionsPerProcess();
const columbaShards = Math.max(1, Math.ceil(max / perProcess));
const log = (line: string) => console.log(line);
for (const c of limits.changed) log(`limits: ${c}`);
for (const w of limits.warnings) log(`limits: WARNING ${w}`);

const options: IdleBenchOptions = {
  steps,
  concurrency: Math.max(1, positive('concurrency', values.concurrency)),
  clientProcesses: positive('client-processes', values['client-processes']),
  preloadPerUser: positive('preload', values.preload),
  settleMs: Number(values.settle) * 1000,
  perAddress: 250,
  warmup: positive('warmup', values.warmup),
  perClientProcess: Math.min(15_000, perProcess),
  log,
};

// The bench lifts Columba's per-user and per-IP caps, as it lifts Dovecot's.
const columbaConfig = ['limits:\n  connectionsPerUser: 10000000\n  connectionsPerIp: 10000000\n', values['columba-config']!.replace(/\\n/g, '\n')];
const targets: IdleTargetRecord[] = [];
if (!values['no-columba']) {
  const nodeFlags = heapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`] : [];
  targets.push(await runIdleTarget('columba', () => startColumba({ users, scheme, extraConfig: columbaConfig, nodeFlags }), { ...options, heapSnapshotDir: heapDir }, columbaShards));
}
if (values.dovecot) {
  const dSteps = steps.filter((n) => n <= dovecotMax);
  for (const mode of modes as DovecotIdleMode[]) {
    if (dSteps.length === 0) break;
    const dMax = dSteps[dSteps.length - 1]!;
    const start = () => startDovecot({ users, scheme, mode: baseMode(mode), configTransform: idleConfigTransform(mode, dMax, perProcess) });
    targets.push(await runIdleTarget(dovecotIdleLabel(mode), start, { ...options, steps: dSteps }));
  }
}

const report: IdleReport = {
  date: new Date().toISOString(),
  command: `npm run bench:idle -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, node: process.version, dovecot: values.dovecot ? dovecotVersion() : null },
  limits,
  options: { steps, columbaInstances: columbaShards, connectionsPerProcess: perProcess, users: users.length, scheme, concurrency: options.concurrency, preloadPerUser: options.preloadPerUser, warmup: options.warmup, settleMs: options.settleMs, dovecotModes: values.dovecot ? modes : [], dovecotMax },
  targets,
};
const files = writeIdleReport(outDir, report);
log(`results: ${files.json}\n         ${files.md}`);
const broken = targets.some((t) => t.error !== undefined || t.steps.length === 0);
process.exit(broken ? 1 : 0);
