/**
 * `node --import tsx bench/idle/heap-summary.ts A.heapsnapshot [B.heapsnapshot] [--per N]`:
 * self size by constructor (node type + name) in a V8 heap snapshot, or the growth from A to B
 * divided by N (connections added between the two): where an idle connection's bytes go.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** `type:name` -> [count, self bytes]. */
export function summarizeHeap(file: string): Map<string, [number, number]> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const f = s.snapshot.meta.node_fields;
  const width = f.length;
  const iType = f.indexOf('type');
  const iName = f.indexOf('name');
  const iSize = f.indexOf('self_size');
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]!]!;
    let name = s.strings[s.nodes[i + iName]!]!;
    // Strings and code are keyed by type only: their names are their contents.
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'code' || type === 'number') name = '';
    if (name.length > 60) name = name.slice(0, 57) + '...';
    const key = `${type}:${name}`;
    const e = out.get(key);
    if (e) {
      e[0]++;
      e[1] += s.nodes[i + iSize]!;
    } else out.set(key, [1, s.nodes[i + iSize]!]);
  }
  return out;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const args = process.argv.slice(2);
  const perIdx = args.indexOf('--per');
  const per = perIdx >= 0 ? Number(args.splice(perIdx, 2)[1]) : 1;
  const [a, b] = args;
  if (!a) {
    process.stderr.write('usage: heap-summary.ts A.heapsnapshot [B.heapsnapshot] [--per N]\n');
    process.exit(2);
  }
  const sa = summarizeHeap(a);
  const rows: Array<[string, number, number]> = [];
  if (b) {
    const sb = summarizeHeap(b);
    for (const [k, [n, bytes]] of sb) {
      const [n0, b0] = sa.get(k) ?? [0, 0];
      rows.push([k, (n - n0) / per, (bytes - b0) / per]);
    }
  } else for (const [k, [n, bytes]] of sa) rows.push([k, n / per, bytes / per]);
  rows.sort((x, y) => y[2] - x[2]);
  const total = rows.reduce((t, r) => t + r[2], 0);
  console.log(`total ${(total / 1024).toFixed(2)} KiB${b ? ` growth per ${per}` : ''}`);
  for (const [k, n, bytes] of rows.slice(0, 40)) console.log(`${bytes.toFixed(0).padStart(10)} B  ${n.toFixed(2).padStart(9)} ×  ${k}`);
}
