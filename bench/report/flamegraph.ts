/**
 * A flame graph (SVG) of a V8 CPU profile written by `node --cpu-prof` (bench:load
 * --columba-cpu-prof writes one per thread and this graph for each process's main thread).
 * `node --import tsx bench/report/flamegraph.ts FILE.cpuprofile [OUT.svg]`.
 *
 * Layout as Brendan Gregg's: the root at the bottom, callees stacked above their callers, each
 * frame as wide as its total time (self + callees); frames of one call path merged, siblings
 * sorted by name. Time off the CPU ("(idle)") is left out, so widths are shares of busy time.
 * Frames narrower than `minWidthPx` are dropped (their time stays in their parent's width).
 * Hovering a frame shows its name, place, milliseconds and share (<title>). No dependencies.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameWhere, type Profile } from './cpuprofile.ts';

export interface FlameFrame {
  name: string;
  where: string;
  /** Microseconds on the CPU in this frame and its callees. */
  totalUs: number;
  children: FlameFrame[];
}

const IDLE = '(idle)';

/** The call tree of the profile's samples, paths merged, idle time left out. */
export function flameTree(profile: Profile): FlameFrame {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const root: FlameFrame = { name: 'all', where: '', totalUs: 0, children: [] };
  for (const [id, us] of selfUs) {
    if (us <= 0 || byId.get(id)?.callFrame.functionName === IDLE) continue;
    // The path from V8's own root node (left out) down to the sampled node.
    const path: number[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) path.push(cur);
    path.pop();
    root.totalUs += us;
    let at = root;
    for (let i = path.length - 1; i >= 0; i--) {
      const f = byId.get(path[i]!)!.callFrame;
      const name = f.functionName || '(anonymous)';
      const where = frameWhere(f);
      let child = at.children.find((c) => c.name === name && c.where === where);
      if (!child) at.children.push((child = { name, where, totalUs: 0, children: [] }));
      child.totalUs += us;
      at = child;
    }
  }
  return root;
}

export interface FlameOptions {
  title?: string;
  width?: number;
  /** Frames narrower than this are not drawn (default 0.5 px). */
  minWidthPx?: number;
}

const FRAME_H = 17;
const CHAR_W = 6.4; // average width of an 11 px sans-serif character, for label fitting
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Warm colours for Columba's own code, green for libraries, blue for Node, grey for natives. */
function colour(f: FlameFrame, seed: number): string {
  const v = (seed * 37) % 40;
  if (/^(core|protocols|workers|wasm|bench)\//.test(f.where)) return `rgb(${215 + (v % 40)},${90 + v * 2},${40 + v})`;
  if (f.where.startsWith('node_modules/')) return `rgb(${90 + v},${170 + v},${90 + v})`;
  if (f.where.startsWith('node:')) return `rgb(${110 + v},${150 + v},${210 + (v % 40)})`;
  return `rgb(${175 + v},${175 + v},${175 + v})`;
}

function depthOf(f: FlameFrame): number {
  let d = 0;
  for (const c of f.children) d = Math.max(d, depthOf(c));
  return d + 1;
}

/** The SVG text of the flame graph of `profile`. */
export function flameGraphSvg(profile: Profile, opts: FlameOptions = {}): string {
  const root = flameTree(profile);
  const width = opts.width ?? 1200;
  const minW = opts.minWidthPx ?? 0.5;
  const pad = 10;
  const inner = width - 2 * pad;
  const height = depthOf(root) * FRAME_H + 60;
  const scale = root.totalUs > 0 ? inner / root.totalUs : 0;
  const rects: string[] = [];
  let seed = 0;
  const draw = (f: FlameFrame, x: number, depth: number): void => {
    const w = f.totalUs * scale;
    if (w < minW) return;
    const y = height - 30 - (depth + 1) * FRAME_H;
    const ms = f.totalUs / 1000;
    const share = root.totalUs > 0 ? (100 * f.totalUs) / root.totalUs : 0;
    const label = f.name + (f.where ? ` ${f.where}` : '');
    const fits = Math.floor((w - 6) / CHAR_W);
    const text = fits >= 3 ? (label.length <= fits ? label : label.slice(0, fits - 2) + '..') : '';
    rects.push(
      `<g><title>${esc(label)} — ${ms.toFixed(1)} ms, ${share.toFixed(2)} %</title>` +
        `<rect x="${(pad + x).toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${FRAME_H - 1}" fill="${colour(f, seed++)}" rx="2"/>` +
        (text ? `<text x="${(pad + x + 3).toFixed(2)}" y="${y + 12}" font-size="11">${esc(text)}</text>` : '') +
        `</g>`,
    );
    let cx = x;
    for (const c of [...f.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      draw(c, cx, depth + 1);
      cx += c.totalUs * scale;
    }
  };
  draw(root, 0, 0);
  const title = opts.title ?? 'CPU flame graph';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${pad}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<text x="${pad}" y="38" font-size="11">${(root.totalUs / 1000).toFixed(0)} ms on the CPU (idle left out); width = time in a frame and its callees; hover for figures</text>` +
    rects.join('') +
    `</svg>\n`
  );
}

/** The main thread's profiles among `node --cpu-prof` files (CPU.date.time.pid.TID.seq.cpuprofile, TID 0). */
export function isMainThreadProfile(file: string): boolean {
  return /\.\d+\.0\.\d+\.cpuprofile$/.test(file);
}

/**
 * A flame graph next to every main-thread profile in `dir` that has none yet; returns the SVG
 * paths written. Worker threads' profiles are left out (they mostly wait).
 */
export function flameGraphsIn(dir: string): string[] {
  const written: string[] = [];
  for (const name of readdirSync(dir).filter(isMainThreadProfile).sort()) {
    const out = join(dir, name.replace(/\.cpuprofile$/, '.svg'));
    if (existsSync(out)) continue;
    writeFileSync(out, flameGraphSvg(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Profile, { title: `CPU flame graph, Columba main thread: ${name}` }));
    written.push(out);
  }
  return written;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: flamegraph.ts FILE.cpuprofile [OUT.svg]');
  const out = process.argv[3] ?? file.replace(/\.cpuprofile$/, '') + '.svg';
  writeFileSync(out, flameGraphSvg(JSON.parse(readFileSync(file, 'utf8')) as Profile, { title: `CPU flame graph: ${file.split('/').pop()}` }));
  console.log(out);
}
