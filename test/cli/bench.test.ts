import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLoadArgs, LOAD_FLAGS } from '../../core/cli/bench-command.ts';
import { runColumba } from './run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-cli-bench-'));
const out = join(home, 'results');

test('bench kernels --quick writes a kernels JSON with rows', async () => {
  // One small kernel file keeps the child short; the runner and flag forwarding are what is tested.
  const r = await runColumba(['bench', 'kernels', '--quick', '--out', out, 'ascii-fold'], { home });
  assert.is(r.code, 0, r.stderr);
  const files = readdirSync(out).filter((f) => /^kernels-.*\.json$/.test(f));
  assert.is(files.length, 1, `files: ${readdirSync(out).join(', ')}`);
  const report = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as { benchTimeMs: number; rows: Array<{ bench: string }> };
  assert.is(report.benchTimeMs, 10);
  assert.ok(report.rows.length > 0);
  assert.ok(report.rows.every((row) => row.bench === 'ascii-fold'));
  assert.match(r.stdout, `wrote ${join(out, files[0]!)}`);
});

test('bench kernels: an unknown flag exits 2 and names it', async () => {
  const r = await runColumba(['bench', 'kernels', '--bogus'], { home });
  assert.is(r.code, 2);
  assert.match(r.stderr, "unknown option '--bogus'");
});

test('bench load: unknown flags exit 2 naming each, before anything runs', async () => {
  const r = await runColumba(['bench', 'load', '--clients', '2', '--bogus', '1', '--nope'], { home });
  assert.is(r.code, 2);
  assert.is(r.stderr, "columba: bench load: unknown option '--bogus'; unknown option '--nope'\n");
});

test('bench all: a bad --seconds and an unknown flag exit 2', async () => {
  const bad = await runColumba(['bench', 'all', '--seconds', 'soon'], { home });
  assert.is(bad.code, 2);
  assert.is(bad.stderr, 'columba: bench all: --seconds: not a positive number: soon\n');
  const unknown = await runColumba(['bench', 'all', '--dovecott'], { home });
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, "unknown option '--dovecott'");
});

test('bench without a level is a usage error listing the levels', async () => {
  const r = await runColumba(['bench'], { home });
  assert.is(r.code, 2);
  assert.match(r.stderr, 'missing sub-command (kernels, load, idle, all)');
});

test('checkLoadArgs: values, booleans, = forms and missing values', () => {
  assert.equal(checkLoadArgs(['--protocol', 'imap', '--dovecot', '--seconds=5', '--no-columba']), []);
  assert.equal(checkLoadArgs(['--protocol']), ["option '--protocol' needs a value"]);
  assert.equal(checkLoadArgs(['--clients', '--dovecot']), ["option '--clients' needs a value"]);
  assert.equal(checkLoadArgs(['--dovecot=yes']), ["option '--dovecot' takes no value"]);
  assert.equal(checkLoadArgs(['stray']), ["unexpected argument 'stray'"]);
  assert.equal(checkLoadArgs(['--x=1', '--y', 'v']), ["unknown option '--x'", "unknown option '--y'"]);
});

test('LOAD_FLAGS matches the options bench/load/run.ts parses', () => {
  const source = readFileSync(new URL('../../bench/load/run.ts', import.meta.url), 'utf8');
  const table = source.slice(source.indexOf('options: {'), source.indexOf('},\n});'));
  const parsed = [...table.matchAll(/^\s+'?([a-z][a-z0-9-]*)'?: \{ type: '(string|boolean)'/gm)].map((m) => [m[1]!, m[2] === 'string'] as const);
  assert.ok(parsed.length > 10, `parsed ${parsed.length} options`);
  assert.equal(new Map(parsed), new Map(LOAD_FLAGS));
});

test.after(() => rmSync(home, { recursive: true, force: true }));

test.run();
