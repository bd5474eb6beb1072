import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../bench/report/summary.ts';
import { markdownReport } from '../../bench/report/markdown.ts';
import { histogramChart, lineChart } from '../../bench/report/svg.ts';
import type { RunRecord } from '../../bench/load/scenario.ts';
import { LoadStats } from '../../bench/load/stats.ts';

function record(target: string, round: number, opsPerSecond: number, p99Us: number, cpu: number): RunRecord {
  const stats = new LoadStats('imap-login');
  stats.record('LOGIN', 100);
  stats.record('LOGIN', p99Us);
  const result = { ...stats.result(1), opsPerSecond };
  result.latencyUs = { ...result.latencyUs, p99: p99Us };
  return { target, round, workload: 'imap-login', clients: 10, result, cost: { cpuSeconds: cpu, peakRssKb: 1024, peakProcesses: 1, cpuSecondsPer1000Ops: cpu, peakRssMiB: 1 }, clientCpuSeconds: 0 };
}

const records = [
  record('columba', 1, 200, 10_000, 1),
  record('dovecot-hp', 1, 100, 20_000, 2),
  record('columba', 2, 300, 10_000, 1),
  record('dovecot-hp', 2, 100, 10_000, 2),
];

test('cells: mean and spread over rounds', () => {
  const { cells } = summarize(records);
  const c = cells.find((x) => x.target === 'columba')!;
  assert.equal(c.figures.opsPerSecond, { mean: 250, min: 200, max: 300, n: 2 });
});

test('ratios: ratio of means, spread of paired per-round ratios', () => {
  const { ratios } = summarize(records);
  const ops = ratios.find((r) => r.figure === 'opsPerSecond')!;
  assert.is(ops.against, 'dovecot-hp');
  assert.is(ops.ratio, 2.5);
  assert.is(ops.min, 2);
  assert.is(ops.max, 3);
  const p99 = ratios.find((r) => r.figure === 'p99Ms')!;
  assert.is(p99.ratio, 10 / 15);
  assert.is(p99.min, 0.5);
  assert.is(p99.max, 1);
  assert.is(ratios.find((r) => r.figure === 'cpuSecondsPer1000Ops')!.ratio, 0.5);
});

test('markdown marks the figures where Columba is worse', () => {
  const worse = [record('columba', 1, 50, 10_000, 1), record('dovecot-hs', 1, 100, 10_000, 1)];
  const { cells, ratios } = summarize(worse);
  const md = markdownReport({ date: 'd', command: 'npm run bench:load', node: 'v20', cpus: 2, cpu: 'x', dovecot: '2.3', seconds: 1, rounds: 1, users: 1, notes: ['a note'] }, cells, ratios, ['p.svg']);
  assert.ok(md.includes('**0.50×**'), md);
  assert.ok(md.includes('- a note'));
  assert.ok(md.includes('![p.svg](p.svg)'));
});

test('svg plots are well-formed enough', () => {
  const svg = lineChart('t', 'x', 'y', [{ name: 'a<b', points: [[1, 2], [2, 4]] }]);
  assert.ok(svg.startsWith('<svg') && svg.trim().endsWith('</svg>'));
  assert.ok(svg.includes('a&lt;b'));
  const h = histogramChart('h', [{ name: 'c', buckets: [[100, 100, 5], [2000, 2015, 1]] }]);
  assert.ok(h.includes('<polyline'));
});

test.run();
