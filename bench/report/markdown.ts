/** The short Markdown report of a load run: setup, figures per target, ratios with spread. */
import type { Cell, Figure, Ratio } from './summary.ts';
import { HIGHER_IS_BETTER } from './summary.ts';

export interface ReportMeta {
  date: string;
  command: string;
  node: string;
  cpus: number;
  cpu: string;
  dovecot: string | null;
  seconds: number;
  rounds: number;
  users: number;
  notes: string[];
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(digits));

function spreadText(c: Cell, f: Figure, digits = 1): string {
  const s = c.figures[f];
  if (!s) return '–';
  return s.n > 1 ? `${fmt(s.mean, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : fmt(s.mean, digits);
}

export function markdownReport(meta: ReportMeta, cells: Cell[], ratios: Ratio[], plots: string[]): string {
  const lines: string[] = [];
  lines.push(`# Protocol load: ${meta.date}`, '');
  lines.push(`Command: \`${meta.command}\``, '');
  lines.push(
    `Machine: ${meta.cpus} × ${meta.cpu}, Node ${meta.node}${meta.dovecot ? `, Dovecot ${meta.dovecot}` : ''}. ` +
      `${meta.rounds} round(s) of ${meta.seconds} s per figure, targets alternating (A B A B), ${meta.users} users. ` +
      'The load generator runs on the same machine and competes for the same cores.',
    '',
  );
  for (const n of meta.notes) lines.push(`- ${n}`);
  if (meta.notes.length > 0) lines.push('');
  lines.push('## Figures (mean, with min–max over rounds)', '');
  lines.push('| workload | clients | target | ops/s | p50 ms | p99 ms | p99.9 ms | server CPU s / 1000 ops | peak RSS MiB | protocol errors | refusals |');
  lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const sorted = [...cells].sort((a, b) => a.workload.localeCompare(b.workload) || a.clients - b.clients || a.target.localeCompare(b.target));
  for (const c of sorted) {
    lines.push(
      `| ${c.workload} | ${c.clients} | ${c.target} | ${spreadText(c, 'opsPerSecond')} | ${spreadText(c, 'p50Ms', 2)} | ${spreadText(c, 'p99Ms', 2)} | ${spreadText(c, 'p999Ms', 2)} | ${spreadText(c, 'cpuSecondsPer1000Ops', 3)} | ${spreadText(c, 'peakRssMiB')} | ${c.protocolErrors} | ${c.refusals} |`,
    );
  }
  if (ratios.length > 0) {
    lines.push('', '## Columba / other (ratio of means, min–max of per-round ratios)', '');
    lines.push('ops/s: above 1 is Columba better. Latency, CPU and RSS: below 1 is Columba better.', '');
    lines.push('| workload | clients | against | ops/s | p50 | p99 | p99.9 | CPU/op | peak RSS |');
    lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const groups = new Map<string, Ratio[]>();
    for (const r of ratios) {
      const k = `${r.workload}|${r.clients}|${r.against}`;
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    for (const rs of groups.values()) {
      const cell = (f: Figure) => {
        const r = rs.find((x) => x.figure === f);
        if (!r) return '–';
        const better = HIGHER_IS_BETTER[f] ? r.ratio >= 1 : r.ratio <= 1;
        return `${better ? '' : '**'}${r.ratio.toFixed(2)}×${better ? '' : '**'} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
      };
      const r0 = rs[0]!;
      lines.push(`| ${r0.workload} | ${r0.clients} | ${r0.against} | ${cell('opsPerSecond')} | ${cell('p50Ms')} | ${cell('p99Ms')} | ${cell('p999Ms')} | ${cell('cpuSecondsPer1000Ops')} | ${cell('peakRssMiB')} |`);
    }
    lines.push('', 'Bold: Columba is worse on that figure.');
  }
  if (plots.length > 0) {
    lines.push('', '## Plots', '');
    for (const p of plots) lines.push(`![${p}](${p})`);
  }
  return lines.join('\n') + '\n';
}
