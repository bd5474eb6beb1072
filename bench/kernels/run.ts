/**
 * `npm run bench:kernels [--quick] [--out DIR] [filter]`: runs every bench/kernels/*.bench.ts (or
 * those whose name matches the filter), prints one table and writes bench/results/kernels-<date>.json
 * (or DIR/kernels-<date>.json). --quick gives each case 10 ms instead of BENCH_TIME_MS: a smoke
 * run whose figures are noisy.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchRow, formatTable } from './harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } },
  allowPositionals: true,
});
if (values.quick) process.env.BENCH_TIME_MS = '10';
const filter = positionals[0] ? new RegExp(positionals[0]) : null;
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || filter.test(f)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  process.stderr.write(`running ${file}\n`);
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<BenchRow[]> };
  rows.push(...(await mod.default()));
}

const baselineOf = (r: BenchRow): string => (r.bench === 'pool-offload' || r.bench === 'lz4' ? 'inline' : 'ts');
for (const bench of [...new Set(rows.map((r) => r.bench))]) {
  const mine = rows.filter((r) => r.bench === bench);
  console.log(formatTable(mine, baselineOf(mine[0]!)) + '\n');
}

const stamp = new Date().toISOString().slice(0, 10);
const outDir = values.out ? join(resolve(values.out), '/') : fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const out = `${outDir}kernels-${stamp}.json`;
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      benchTimeMs: Number(process.env.BENCH_TIME_MS ?? 300),
      rows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${out}`);
