/**
 * `node --import tsx bench/report/cpuprofile.ts FILE.cpuprofile [N]`: the top N functions by
 * self time (and the share of total time), from a V8 profile written by `node --cpu-prof`
 * (see bench:load --columba-cpu-prof). A text answer to "where does the server's CPU go".
 */
import { readFileSync } from 'node:fs';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `file:line` of a frame, shortened to the project's folders ('' for natives). */
export function frameWhere(f: ProfileNode['callFrame']): string {
  return f.url ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|core|protocols|workers)\//, '$1/')}:${f.lineNumber + 1}` : '';
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function topSelfTime(profile: Profile, n = 25): SelfTime[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, { where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    total += dt;
    const f = node.callFrame;
    const where = frameWhere(f);
    const key = `${f.functionName || '(anonymous)'}@${where}`;
    const e = self.get(key);
    if (e) e.us += dt;
    else self.set(key, { where, us: dt });
  }
  return [...self]
    .map(([k, v]) => ({ name: k.slice(0, k.indexOf('@')), where: v.where, ms: Math.round(v.us / 1000), share: total > 0 ? v.us / total : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpuprofile.ts FILE.cpuprofile [N]');
  const rows = topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25));
  for (const r of rows) console.log(`${(r.share * 100).toFixed(1).padStart(5)} %  ${String(r.ms).padStart(7)} ms  ${r.name}  ${r.where}`);
}
