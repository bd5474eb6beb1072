/**
 * `npm run bench:corpus -- --seed 1 --count 2000 --out DIR [--max-bytes N]`: writes the seeded
 * corpus as DIR/000001.eml ... and prints the size summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from './generate.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '2000' },
    out: { type: 'string', default: 'bench/results/corpus' },
    'max-bytes': { type: 'string' },
  },
});

const out = values.out!;
mkdirSync(out, { recursive: true });
const sizes: number[] = [];
let i = 0;
for (const msg of generateCorpus({
  seed: Number(values.seed),
  count: Number(values.count),
  maxBytes: values['max-bytes'] ? Number(values['max-bytes']) : undefined,
})) {
  i++;
  writeFileSync(join(out, `${String(i).padStart(6, '0')}.eml`), msg);
  sizes.push(msg.length);
}
sizes.sort((a, b) => a - b);
const at = (q: number) => sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))] ?? 0;
const total = sizes.reduce((a, b) => a + b, 0);
console.log(`${sizes.length} messages, ${(total / 1048576).toFixed(1)} MiB in ${out}`);
console.log(`size p50 ${at(0.5)} B, p90 ${at(0.9)} B, p99 ${at(0.99)} B, max ${at(1)} B`);
