/**
 * Starts Columba (`node bin/columba.js serve`) on a fresh temp home with free loopback ports and
 * the bench users, and stops it (SIGTERM, then SIGKILL) and removes the home afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HashScheme } from '../../core/auth/schemes.ts';
import type { UserCredential } from './stats.ts';
import { passwdFileText, type Target } from './target.ts';

const bin = new URL('../../bin/columba.js', import.meta.url).pathname;

export interface ColumbaTargetOptions {
  users: UserCredential[];
  /** Extra YAML appended to the config (e.g. worker threads). */
  extraConfig?: string;
  /** Extra node flags, e.g. ['--cpu-prof']. */
  nodeFlags?: string[];
  /** Server log level (default warn). */
  logLevel?: string;
  /** Password scheme of the passwd-file (default SHA512-CRYPT, as Dovecot's bench users). */
  scheme?: HashScheme;
}

export async function startColumba(opts: ColumbaTargetOptions): Promise<Target> {
  const home = mkdtempSync(join(tmpdir(), 'columba-bench-'));
  const passwd = join(home, 'users');
  writeFileSync(passwd, await passwdFileText(opts.users, opts.scheme));
  const config = join(home, 'columba.yaml');
  writeFileSync(
    config,
    `home: ${home}\nlog:\n  level: ${opts.logLevel ?? 'warn'}\nlisten:\n  host: 127.0.0.1\n  imap: 0\n  imaps: null\n  pop3: 0\n  pop3s: null\n  lmtp: 0\n` +
      `auth:\n  passwdFile: ${passwd}\n  failureDelayMs: 0\n${opts.extraConfig ?? ''}`,
  );
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), bin, 'serve', '--config', config], {
    env: { ...process.env, COLUMBA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: home,
  });
  let out = '';
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`columba did not start:\n${out}`));
    }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/columba ready/.test(out)) {
        clearTimeout(timer);
        const found: Record<string, number> = {};
        for (const m of out.matchAll(/^(\w+) listening on [^\s]+:(\d+)$/gm)) found[m[1]!] = Number(m[2]);
        resolve(found);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`columba exited (${code ?? signal}) before ready:\n${out}`));
    });
  });
  // Keep the tail of the output for error reports (bounded: a chatty server must not grow us).
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  if (ports.imap === undefined) throw new Error(`no imap listener in:\n${out}`);
  return {
    label: 'columba',
    host: '127.0.0.1',
    ports: { imap: ports.imap, pop3: ports.pop3 ?? null, lmtp: ports.lmtp ?? null },
    pid: child.pid ?? null,
    users: opts.users,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
