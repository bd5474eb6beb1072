/**
 * `columba bench kernels|load|idle|all`: thin wrappers over the bench runners. Each runs as a child
 * `node --import tsx bench/...` so the measured code never shares the CLI's event loop; flags are
 * forwarded and the child's exit code becomes the CLI's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliExit } from './io.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Flags bench/load/run.ts accepts: name -> takes a value. Kept in step with its parseArgs table. */
export const LOAD_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ['protocol', true],
  ['session', true],
  ['clients', true],
  ['users', true],
  ['seconds', true],
  ['max-ops', true],
  ['rounds', true],
  ['seed', true],
  ['preload', true],
  ['imap-max-bytes', true],
  ['lmtp-max-bytes', true],
  ['lmtp-recipients', true],
  ['lmtp-fixed-bytes', true],
  ['dovecot', false],
  ['dovecot-modes', true],
  ['dovecot-mail', true],
  ['against', true],
  ['no-columba', false],
  ['columba-config', true],
  ['columba-cpu-prof', true],
  ['out', true],
]);

/**
 * Checks raw load arguments against LOAD_FLAGS without running anything. Returns the problems
 * (unknown flags by name, a value missing, a stray argument); empty when all is well.
 */
export function checkLoadArgs(args: readonly string[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument '${arg}'`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takesValue = LOAD_FLAGS.get(name);
    if (takesValue === undefined) {
      problems.push(`unknown option '--${name}'`);
      // Its value, if any, is part of the same mistake: do not report it again.
      if (eq < 0 && i + 1 < args.length && !args[i + 1]!.startsWith('--')) i++;
    }
    else if (takesValue && eq < 0) {
      if (i + 1 >= args.length || args[i + 1]!.startsWith('--')) problems.push(`option '--${name}' needs a value`);
      else i++;
    } else if (!takesValue && eq >= 0) problems.push(`option '--${name}' takes no value`);
  }
  return problems;
}

/** Runs `node --import tsx bench/<script> ARGS` with inherited stdio; resolves with its exit code. */
export function runBenchScript(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`columba: bench: ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export interface KernelOptions {
  quick?: boolean;
  out?: string;
}

export async function benchKernels(filter: string | undefined, opts: KernelOptions): Promise<number> {
  const args = [...(opts.quick ? ['--quick'] : []), ...(opts.out ? ['--out', opts.out] : []), ...(filter ? [filter] : [])];
  return runBenchScript('kernels/run.ts', args);
}

export async function benchLoad(rawArgs: readonly string[]): Promise<number> {
  const problems = checkLoadArgs(rawArgs);
  if (problems.length > 0) throw new CliExit(2, `bench load: ${problems.join('; ')}`);
  return runBenchScript('load/run.ts', rawArgs);
}

/** `columba bench idle [flags]`: bench/idle/run.ts checks its own flags (unknown ones exit 2). */
export function benchIdle(rawArgs: readonly string[]): Promise<number> {
  return runBenchScript('idle/run.ts', rawArgs);
}

export interface AllOptions {
  dovecot?: boolean;
  seconds?: string;
  quick?: boolean;
  out?: string;
}

export async function benchAll(opts: AllOptions): Promise<number> {
  if (opts.seconds !== undefined) {
    const n = Number(opts.seconds);
    if (!Number.isFinite(n) || n <= 0) throw new CliExit(2, `bench all: --seconds: not a positive number: ${opts.seconds}`);
  }
  const args = [
    opts.dovecot ? '--dovecot' : '--no-dovecot',
    ...(opts.seconds ? ['--seconds', opts.seconds] : []),
    ...(opts.quick ? ['--quick'] : []),
    ...(opts.out ? ['--out', opts.out] : []),
  ];
  return runBenchScript('run.ts', args);
}
