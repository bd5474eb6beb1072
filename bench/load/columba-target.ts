/**
 * Starts Columba (`node bin/columba.js serve`) on a fresh temp home with free loopback ports and
 * the bench users, and stops it (SIGTERM, then SIGKILL) and removes the home afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HashScheme } from '../../core/auth/schemes.ts';
import type { UserCredential } from './stats.ts';
import { passwdFileText, type Target } from './target.ts';
import { spawnColumbaServe } from './columba-serve.ts';

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
  const server = await spawnColumbaServe({ configFile: config, home, nodeFlags: opts.nodeFlags, cwd: home });
  const { ports } = server;
  if (ports.imap === undefined) throw new Error(`no imap listener in:\n${server.output()}`);
  return {
    label: 'columba',
    host: '127.0.0.1',
    ports: { imap: ports.imap, pop3: ports.pop3 ?? null, lmtp: ports.lmtp ?? null },
    pid: server.child.pid ?? null,
    users: opts.users,
    output: server.output,
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
