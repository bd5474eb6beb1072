/**
 * Starts a private Dovecot (`dovecot -c CONF`) as a bench target and stops it by its master pid.
 * Installs the Debian packages with apt-get when a binary is missing and we are root (services do
 * not auto-start on these machines, and we never touch the system instance).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HashScheme } from '../../core/auth/schemes.ts';
import type { UserCredential } from '../load/stats.ts';
import { passwdFileText, type Target } from '../load/target.ts';
import { dovecotConfig, type DovecotMode } from './config.ts';

const BINARIES = ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/lib/dovecot/lmtp'];

/** Make sure Dovecot's imap, pop3 and lmtp are installed (apt-get when root), or throw. */
export function ensureDovecotInstalled(): void {
  if (BINARIES.every((b) => existsSync(b))) return;
  if (process.getuid?.() !== 0) throw new Error('Dovecot is not installed; run: apt-get install -y dovecot-imapd dovecot-pop3d dovecot-lmtpd');
  execFileSync('apt-get', ['install', '-y', 'dovecot-imapd', 'dovecot-pop3d', 'dovecot-lmtpd'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: 'ignore',
  });
  if (!BINARIES.every((b) => existsSync(b))) throw new Error('Dovecot install failed');
}

export function dovecotVersion(): string {
  try {
    return execFileSync('/usr/sbin/dovecot', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** A free loopback port (bound then released: a small race we accept for a bench). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitListening(port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface DovecotTargetOptions {
  users: UserCredential[];
  mode: DovecotMode;
  mailFormat?: 'maildir' | 'sdbox' | 'mdbox';
  /** Password scheme of the passwd-file (default SHA512-CRYPT). */
  scheme?: HashScheme;
  /** Rewrites the generated dovecot.conf (e.g. the idle bench's process limits, hibernation). */
  configTransform?: (conf: string) => string;
}

export async function startDovecot(opts: DovecotTargetOptions): Promise<Target> {
  ensureDovecotInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'dovecot-bench-'));
  // Mail processes run as nobody: they must reach the mail folder.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'mail'), { mode: 0o777 });
  chmodSync(join(dir, 'mail'), 0o777);
  const passwdFile = join(dir, 'users');
  writeFileSync(passwdFile, await passwdFileText(opts.users, opts.scheme), { mode: 0o644 });
  const ports = { imap: await freePort(), pop3: await freePort(), lmtp: await freePort() };
  const conf = join(dir, 'dovecot.conf');
  const instance = `bench-${process.pid}-${Date.now() % 100000}`;
  const generated = dovecotConfig({ dir, instance, mode: opts.mode, ports, passwdFile, cores: availableParallelism(), mailFormat: opts.mailFormat });
  writeFileSync(conf, opts.configTransform ? opts.configTransform(generated) : generated);
  try {
    // Daemon children inherit stdio: a pipe would never close, so errors go to a file.
    const errFd = openSync(join(dir, 'start.err'), 'w');
    try {
      execFileSync('/usr/sbin/dovecot', ['-c', conf], { stdio: ['ignore', errFd, errFd] });
    } finally {
      closeSync(errFd);
    }
    await Promise.all([waitListening(ports.imap, 15_000), waitListening(ports.pop3, 15_000), waitListening(ports.lmtp, 15_000)]);
  } catch (err) {
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
    const log = read('start.err') + read('dovecot.log');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start: ${(err as Error).message}\n${log}`);
  }
  // The master writes its pid file a moment after its listeners are up.
  const pidFile = join(dir, 'run', 'master.pid');
  for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const output = () => {
    try {
      return readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-20_000);
    } catch {
      return '';
    }
  };
  return {
    label: opts.mode === 'high-security' ? 'dovecot-hs' : 'dovecot-hp',
    host: '127.0.0.1',
    ports,
    pid,
    users: opts.users,
    output,
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
