/**
 * The idle benchmark's result files: bench/results/idle-<date>.json (every step of every target)
 * and idle-<date>.md (the table docs/bench.md quotes), in the style of the load reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LimitReport } from './limits.ts';
import type { MemorySample } from './measure.ts';

export interface IdleStep {
  /** Connections asked for at this step. */
  connections: number;
  /** Idle connections held when measured. */
  open: number;
  failed: number;
  dropped: number;
  errors: string[];
  /** Seconds to open this step's new connections (login, SELECT, IDLE). */
  setupSeconds: number;
  server: MemorySample;
  /** Growth over the target's baseline per held connection, in bytes. */
  rssPerConnection: number;
  pssPerConnection: number;
  /** The client processes' memory, for scale (never part of the server figure). */
  client: MemorySample;
}

export interface IdleTargetRecord {
  label: string;
  /** Instances of the server sharing the connections (1 unless one process's fd limit is too low). */
  shards: number;
  baseline: MemorySample;
  steps: IdleStep[];
  /** Set when the target failed to start or a step failed as a whole. */
  error?: string;
}

export interface IdleReport {
  date: string;
  command: string;
  machine: { cpus: string; node: string; dovecot: string | null };
  limits: LimitReport;
  options: Record<string, unknown>;
  targets: IdleTargetRecord[];
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

export function idleMarkdown(r: IdleReport): string {
  const lines = [
    `# Idle IMAP connections: ${r.date}`,
    '',
    `Command: \`${r.command}\``,
    '',
    `Machine: ${r.machine.cpus}, Node ${r.machine.node}${r.machine.dovecot ? `, Dovecot ${r.machine.dovecot}` : ''}. ` +
      'Each connection: LOGIN, SELECT INBOX, IDLE, then silence. Clients run in their own processes, ' +
      'from source addresses spread over 127.1.0.0/16. Memory is the growth of the server process tree over its baseline ' +
      '(after start and preload), measured after the connections settled; PSS splits shared pages between processes.',
    '',
    '"KiB / conn" is the growth over the baseline divided by the connections held; "marginal" is the growth since the previous ' +
      'step divided by the connections added (less sensitive to garbage the baseline still held).',
    '',
    '| target | instances | connections | held | failed | dropped | setup s | logins/s | KiB PSS / conn | KiB RSS / conn | marginal KiB PSS / conn | server PSS MiB | processes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const t of r.targets) {
    if (t.steps.length === 0) lines.push(`| ${t.label} | ${t.shards} | – | – | – | – | – | – | – | – | – | – | ${t.error ? `failed: ${t.error.split('\n')[0]!.slice(0, 80)}` : ''} |`);
    let prev = 0;
    let prevOpen = 0;
    let prevPss = t.baseline.pssKb;
    for (const s of t.steps) {
      const rate = s.setupSeconds > 0 ? Math.round((s.connections - prev) / s.setupSeconds) : 0;
      const marginal = s.open > prevOpen ? ((s.server.pssKb - prevPss) * 1024) / (s.open - prevOpen) : 0;
      prev = s.connections;
      prevOpen = s.open;
      prevPss = s.server.pssKb;
      lines.push(
        `| ${t.label} | ${t.shards} | ${s.connections} | ${s.open} | ${s.failed} | ${s.dropped} | ${s.setupSeconds.toFixed(1)} | ${rate} | ${kib(s.pssPerConnection)} | ${kib(s.rssPerConnection)} | ${kib(marginal)} | ${Math.round(s.server.pssKb / 1024)} | ${s.server.processes} |`,
      );
    }
  }
  const errs = r.targets.flatMap((t) => [...(t.error ? [`- ${t.label}: ${t.error.split('\n')[0]}`] : []), ...t.steps.flatMap((s) => s.errors.map((e) => `- ${t.label} @${s.connections}: ${e}`))]);
  if (errs.length > 0) lines.push('', '## Failures', '', ...errs.slice(0, 40));
  lines.push('', '## Limits', '', `RLIMIT_NOFILE ${r.limits.nofile}; ` + Object.entries(r.limits.sysctls).map(([k, v]) => `${k} = ${v}`).join('; ') + '.');
  if (r.limits.changed.length > 0) lines.push('', `Changed by this run: ${r.limits.changed.join('; ')}.`);
  if (r.limits.warnings.length > 0) lines.push('', `Warnings: ${r.limits.warnings.join('; ')}.`);
  lines.push('', `Options: \`${JSON.stringify(r.options)}\``, '');
  return lines.join('\n');
}

/** Writes idle-<stamp>.json and .md under `dir`; returns their paths. */
export function writeIdleReport(dir: string, r: IdleReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = r.date.slice(0, 16).replace('T', '-').replace(':', '-');
  const json = join(dir, `idle-${stamp}.json`);
  const md = join(dir, `idle-${stamp}.md`);
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, idleMarkdown(r));
  return { json, md };
}

// `node --import tsx bench/idle/report.ts FILE.json`: re-render FILE.md from a saved run.
if (process.argv[1]?.endsWith('report.ts') && process.argv[2]?.endsWith('.json')) {
  const { readFileSync } = await import('node:fs');
  const file = process.argv[2];
  writeFileSync(file.replace(/\.json$/, '.md'), idleMarkdown(JSON.parse(readFileSync(file, 'utf8')) as IdleReport));
}
