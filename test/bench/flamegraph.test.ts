/** bench/report/flamegraph.ts on small hand-made V8 profiles: tree totals, widths, idle, escaping. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flameGraphsIn, flameGraphSvg, flameTree, isMainThreadProfile } from '../../bench/report/flamegraph.ts';
import type { Profile } from '../../bench/report/cpuprofile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → main → { work → hot (30 ms self), cold (10 ms self) }, (idle) 60 ms, and a second
// call path to `hot` under main → other, to check that paths, not names, are merged.
function profile(): Profile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 7] },
      { id: 2, callFrame: frame('main', 'file:///srv/core/server.ts', 9), children: [3, 6] },
      { id: 3, callFrame: frame('work', 'file:///srv/protocols/imap/session.ts', 99), children: [4, 5] },
      { id: 4, callFrame: frame('hot<T>', 'node:internal/fs/promises', 1) },
      { id: 5, callFrame: frame('cold', 'file:///srv/node_modules/piscina/dist/index.js', 4) },
      { id: 6, callFrame: frame('other', 'file:///srv/core/x.ts', 1), children: [8] },
      { id: 7, callFrame: frame('(idle)') },
      { id: 8, callFrame: frame('hot<T>', 'node:internal/fs/promises', 1) },
    ],
    samples: [4, 4, 4, 5, 7, 7, 7, 7, 7, 7, 8],
    timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 1_000],
  };
}

test('the tree: totals are self + callees, call paths merged, idle left out', () => {
  const root = flameTree(profile());
  assert.is(root.totalUs, 41_000, 'idle (60 ms) left out');
  const main = root.children[0]!;
  assert.is(main.name, 'main');
  assert.is(main.where, 'core/server.ts:10');
  const work = main.children.find((c) => c.name === 'work')!;
  assert.is(work.totalUs, 40_000);
  assert.equal(work.children.map((c) => [c.name, c.totalUs]), [['hot<T>', 30_000], ['cold', 10_000]]);
  assert.is(main.children.find((c) => c.name === 'other')!.children[0]!.totalUs, 1_000, 'the same function on another path is its own frame');
});

test('the SVG: widths proportional to time, names escaped, narrow frames dropped', () => {
  const svg = flameGraphSvg(profile(), { width: 420, minWidthPx: 20 }); // inner width 400 px for 41 ms
  const widthOf = (label: string): number => {
    const m = new RegExp(`<title>${label}[^<]*</title><rect [^>]*width="([0-9.]+)"`).exec(svg);
    assert.ok(m, `no frame for ${label}`);
    return Number(m![1]);
  };
  assert.ok(Math.abs(widthOf('hot&lt;T&gt; node:internal/fs/promises:2') - (400 * 30) / 41) < 0.01);
  assert.ok(Math.abs(widthOf('cold node_modules/piscina/dist/index.js:5') - (400 * 10) / 41) < 0.01);
  assert.ok(svg.includes('30.0 ms, 73.17 %'), 'hover text gives ms and share of busy time');
  assert.not.ok(svg.includes('<title>other'), 'a 1 ms frame is under 20 px and not drawn');
  assert.not.ok(svg.includes('(idle)'));
  assert.not.ok(/<title>hot<T>/.test(svg), 'raw < never reaches the SVG');
});

test('flameGraphsIn: one SVG per main-thread profile, workers left out, nothing redone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'columba-flame-'));
  const main = 'CPU.20261128.235610.5229.0.001.cpuprofile';
  const worker = 'CPU.20261128.235612.5229.2.004.cpuprofile';
  assert.ok(isMainThreadProfile(main));
  assert.not.ok(isMainThreadProfile(worker));
  for (const f of [main, worker]) writeFileSync(join(dir, f), JSON.stringify(profile()));
  assert.equal(flameGraphsIn(dir).map((p) => p.slice(dir.length + 1)), ['CPU.20261128.235610.5229.0.001.svg']);
  assert.equal(flameGraphsIn(dir), [], 'an existing graph is kept');
  assert.is(readdirSync(dir).filter((f) => f.endsWith('.svg')).length, 1);
});

test.run();
