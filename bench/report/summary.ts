/**
 * Figures per (target, workload, clients) over the rounds, and the ratio Columba / other per
 * figure with its spread (the lowest and highest of the per-round ratios, rounds paired A B A B).
 */
import type { RunRecord, Workload } from '../load/scenario.ts';

export const FIGURES = ['opsPerSecond', 'p50Ms', 'p99Ms', 'p999Ms', 'cpuSecondsPer1000Ops', 'peakRssMiB'] as const;
export type Figure = (typeof FIGURES)[number];
/** Which way is better, for the reader of a ratio. */
export const HIGHER_IS_BETTER: Record<Figure, boolean> = {
  opsPerSecond: true,
  p50Ms: false,
  p99Ms: false,
  p999Ms: false,
  cpuSecondsPer1000Ops: false,
  peakRssMiB: false,
};

export function figureOf(r: RunRecord, f: Figure): number | null {
  switch (f) {
    case 'opsPerSecond':
      return r.result.opsPerSecond;
    case 'p50Ms':
      return r.result.latencyUs.p50 / 1000;
    case 'p99Ms':
      return r.result.latencyUs.p99 / 1000;
    case 'p999Ms':
      return r.result.latencyUs.p999 / 1000;
    case 'cpuSecondsPer1000Ops':
      return r.cost?.cpuSecondsPer1000Ops ?? null;
    case 'peakRssMiB':
      return r.cost?.peakRssMiB ?? null;
  }
}

export interface Spread {
  mean: number;
  min: number;
  max: number;
  n: number;
}

function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, min: Math.min(...values), max: Math.max(...values), n: values.length };
}

export interface Cell {
  target: string;
  workload: Workload;
  clients: number;
  figures: Partial<Record<Figure, Spread>>;
  protocolErrors: number;
  refusals: number;
  ops: number;
}

export interface Ratio {
  workload: Workload;
  clients: number;
  against: string;
  figure: Figure;
  /** mean(Columba) / mean(other). */
  ratio: number;
  min: number;
  max: number;
}

const key = (w: string, c: number) => `${w}|${c}`;

export function summarize(records: RunRecord[], base = 'columba'): { cells: Cell[]; ratios: Ratio[] } {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const k = `${r.target}|${key(r.workload, r.clients)}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const cells: Cell[] = [];
  for (const rs of groups.values()) {
    const figures: Partial<Record<Figure, Spread>> = {};
    for (const f of FIGURES) {
      const s = spread(rs.map((r) => figureOf(r, f)).filter((v): v is number => v !== null));
      if (s) figures[f] = s;
    }
    cells.push({
      target: rs[0]!.target,
      workload: rs[0]!.workload,
      clients: rs[0]!.clients,
      figures,
      protocolErrors: rs.reduce((a, r) => a + r.result.protocolErrors, 0),
      refusals: rs.reduce((a, r) => a + r.result.refusals, 0),
      ops: rs.reduce((a, r) => a + r.result.ops, 0),
    });
  }
  const ratios: Ratio[] = [];
  const others = [...new Set(records.map((r) => r.target))].filter((t) => t !== base);
  for (const other of others) {
    for (const w of [...new Set(records.map((r) => key(r.workload, r.clients)))]) {
      const mine = groups.get(`${base}|${w}`) ?? [];
      const theirs = groups.get(`${other}|${w}`) ?? [];
      if (mine.length === 0 || theirs.length === 0) continue;
      for (const f of FIGURES) {
        const a = mine.map((r) => figureOf(r, f));
        const b = theirs.map((r) => figureOf(r, f));
        const pairs: number[] = [];
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != null && b[i] != null && b[i]! > 0) pairs.push(a[i]! / b[i]!);
        const ma = spread(a.filter((v): v is number => v !== null));
        const mb = spread(b.filter((v): v is number => v !== null));
        if (!ma || !mb || mb.mean === 0 || pairs.length === 0) continue;
        ratios.push({ workload: mine[0]!.workload, clients: mine[0]!.clients, against: other, figure: f, ratio: ma.mean / mb.mean, min: Math.min(...pairs), max: Math.max(...pairs) });
      }
    }
  }
  return { cells, ratios };
}
