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
import { benchConfigYaml } from './bench-config.ts';

export interface ColumbaTargetOptions {
  users: UserCredential[];
  /** YAML layers over the bench's config, in order (bench-config.ts; e.g. worker threads). */
  extraConfig?: string | string[];
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
  const base = {
    home,
    log: { level: opts.logLevel ?? 'warn' },
    listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: 0, pop3s: null, lmtp: 0 },
    auth: { passwdFile: passwd, failureDelayMs: 0 },
  };
  writeFileSync(config, benchConfigYaml(base, ([] as string[]).concat(opts.extraConfig ?? [])));
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
