/**
 * Two small dependency-free SVG plots: throughput per client count (a line per target and
 * workload) and latency histograms (log-scaled buckets, one line per target).
 */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const W = 720;
const H = 380;
const M = { l: 70, r: 200, t: 30, b: 50 };

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function frame(title: string, xLabel: string, yLabel: string, body: string, legend: string[]): string {
  const leg = legend.map((n, i) => `<rect x="${W - M.r + 15}" y="${M.t + i * 18}" width="12" height="3" fill="${COLORS[i % COLORS.length]}"/><text x="${W - M.r + 32}" y="${M.t + i * 18 + 5}" font-size="11">${esc(n)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${M.l}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="black"/>` +
    `<line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="black"/>` +
    `<text x="${(M.l + W - M.r) / 2}" y="${H - 10}" font-size="12" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text x="14" y="${(M.t + H - M.b) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(M.t + H - M.b) / 2})">${esc(yLabel)}</text>` +
    body +
    leg +
    `</svg>\n`
  );
}

/** Lines over x (linear or log2 scale). */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[], logX = false): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  if (xs.length === 0) return frame(title, xLabel, yLabel, '', []);
  const tx = (x: number) => (logX ? Math.log2(Math.max(x, 1e-9)) : x);
  let x0 = Math.min(...xs.map(tx));
  let x1 = Math.max(...xs.map(tx));
  if (x1 === x0) (x0 -= 1), (x1 += 1);
  const y1 = niceMax(Math.max(...ys));
  const px = (x: number) => M.l + ((tx(x) - x0) / (x1 - x0)) * (W - M.l - M.r);
  const py = (y: number) => H - M.b - (y / y1) * (H - M.t - M.b);
  let body = '';
  for (let i = 0; i <= 4; i++) {
    const v = (y1 * i) / 4;
    body += `<line x1="${M.l}" y1="${py(v)}" x2="${W - M.r}" y2="${py(v)}" stroke="#ddd"/><text x="${M.l - 6}" y="${py(v) + 4}" font-size="10" text-anchor="end">${+v.toPrecision(3)}</text>`;
  }
  const ticks = [...new Set(xs)].sort((a, b) => a - b);
  for (const x of ticks.length <= 12 ? ticks : ticks.filter((_, i) => i % Math.ceil(ticks.length / 12) === 0)) {
    body += `<text x="${px(x)}" y="${H - M.b + 15}" font-size="10" text-anchor="middle">${+x.toPrecision(3)}</text>`;
  }
  series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const c = COLORS[i % COLORS.length];
    body += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`;
    for (const [x, y] of pts) body += `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${c}"/>`;
  });
  return frame(title, xLabel, yLabel, body, series.map((s) => s.name));
}

/** Latency histograms: share of operations per bucket, x in ms on a log scale. */
export function histogramChart(title: string, hists: Array<{ name: string; buckets: Array<[number, number, number]> }>): string {
  const series: Series[] = hists.map((h) => {
    const total = h.buckets.reduce((a, b) => a + b[2], 0) || 1;
    // Re-bucket to powers of 2^(1/4) so that lines are readable.
    const bins = new Map<number, number>();
    for (const [lo, hi, n] of h.buckets) {
      const mid = Math.max(1, (lo + hi) / 2);
      const bin = Math.round(Math.log2(mid) * 4) / 4;
      bins.set(bin, (bins.get(bin) ?? 0) + n);
    }
    return { name: h.name, points: [...bins].map(([b, n]) => [2 ** b / 1000, (n / total) * 100] as [number, number]) };
  });
  return lineChart(title, 'latency (ms, log scale)', '% of operations', series, true);
}
