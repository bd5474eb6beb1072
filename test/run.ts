/**
 * The test command: runs every uvu suite (test/**\/*.test.ts) in its own process, so servers a
 * suite starts die with it, and ends with the one line CI reads: `N passed, N failed`.
 * Fails when no test ran. `node --import tsx test/run.ts [filter]` runs matching files only.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus } from 'node:os';

const root = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const parallel = Math.max(1, Number(process.env.TEST_JOBS ?? Math.min(2, cpus().length)));

function findSuites(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findSuites(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

interface SuiteResult {
  file: string;
  passed: number;
  failed: number;
  code: number | null;
  output: string;
}

/** uvu prints `Total: N`, `Passed: N`, `Skipped: N`; Total already leaves skipped tests out, so failures are Total - Passed. */
function parseUvu(output: string): { passed: number; failed: number } | null {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const totals = [...plain.matchAll(/Total:\s+(\d+)/g)].map((m) => Number(m[1]));
  const passes = [...plain.matchAll(/Passed:\s+(\d+)/g)].map((m) => Number(m[1]));
  if (totals.length === 0) return null;
  const total = totals.reduce((a, b) => a + b, 0);
  const passed = passes.reduce((a, b) => a + b, 0);
  return { passed, failed: total - passed };
}

function runSuite(file: string): Promise<SuiteResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: join(root, '..'),
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const limitMs = Number(process.env.TEST_SUITE_TIMEOUT_MS ?? 300_000);
    const timer = setTimeout(() => {
      output += `\n[runner] suite exceeded ${limitMs} ms, killed\n`;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const counts = parseUvu(output);
      let passed = counts?.passed ?? 0;
      let failed = counts?.failed ?? 0;
      // A suite that crashed or printed no summary counts as one failure.
      if (code !== 0 && failed === 0) failed = 1;
      if (!counts && code === 0) failed = 1, output += '\n[runner] suite printed no uvu summary\n';
      resolve({ file, passed, failed, code, output });
    });
  });
}

const suites = findSuites(root).filter((f) => !filter || filter.test(relative(root, f)));
const results: SuiteResult[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < suites.length) {
    const file = suites[next++]!;
    const r = await runSuite(file);
    results.push(r);
    const name = relative(root, file);
    const mark = r.failed === 0 ? 'ok  ' : 'FAIL';
    console.log(`${mark} ${name}: ${r.passed} passed, ${r.failed} failed`);
    if (r.failed > 0 || process.env.TEST_VERBOSE) console.log(r.output.replace(/^/gm, '    | '));
  }
}
await Promise.all(Array.from({ length: parallel }, worker));
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
if (passed + failed === 0) {
  console.log('no test ran');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
