/**
 * `npm run bench [-- --dovecot | --no-dovecot] [--seconds N] [--quick] [--out DIR]`: every level
 * in one go. Kernels first, then a short protocol run (IMAP, POP3, LMTP) against Columba, side by
 * side with Dovecot when it is installed (or forced with --dovecot). Each level runs in its own
 * node process, as bench:kernels and bench:load do, and writes under bench/results/ (or DIR).
 * Ends by listing the result files written; exits with the first failing level's code.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dovecot: { type: 'boolean' },
    'no-dovecot': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write(`bench: --seconds: not a positive number: ${values.seconds}\n`);
  process.exit(2);
}
const dovecotInstalled = existsSync('/usr/sbin/dovecot');
const withDovecot = values['no-dovecot'] ? false : (values.dovecot ?? dovecotInstalled);
const outDir = values.out ? resolve(values.out) : fileURLToPath(new URL('./results/', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs one level in a child node (own event loop, own heap); resolves with its exit code. */
function level(script: string, args: string[]): Promise<number> {
  process.stderr.write(`\n== ${script} ${args.join(' ')}\n`);
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], { stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`bench: ${script}: ${err.message}\n`);
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
const kernelArgs = ['--out', outDir, ...(values.quick ? ['--quick'] : [])];
// Short and small on purpose: this is the "does every level still run" figure, not a study.
const loadArgs = ['--protocol', 'all', '--clients', '4', '--users', '4', '--seconds', String(seconds), '--rounds', '1', '--preload', '20', '--out', outDir];
if (withDovecot) loadArgs.push('--dovecot');

let code = await level('kernels/run.ts', kernelArgs);
if (code === 0) code = await level('load/run.ts', loadArgs);

const written = existsSync(outDir)
  ? readdirSync(outDir)
      .filter((f) => statSync(join(outDir, f)).mtimeMs >= started - 1000)
      .sort()
  : [];
console.log(`\nbench: ${code === 0 ? 'done' : `failed (exit ${code})`}; Dovecot ${withDovecot ? 'included' : dovecotInstalled ? 'skipped' : 'not installed'}`);
console.log(`results in ${outDir}:`);
for (const f of written.filter((f) => f.endsWith('.json') || f.endsWith('.md'))) console.log(`  ${f}`);
process.exit(code);
