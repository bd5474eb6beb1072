/**
 * End-to-end helper: runs `node bin/columba.js serve` as a child process in a temporary
 * COLUMBA_HOME with every port 0, and reads the bound ports from its listen lines.
 *
 *   const srv = await startTestServer({ storage: { driver: 'memory' } });
 *   await srv.addUser('alice', 'secret');
 *   ... connect to srv.ports.imap ...
 *   await srv.stop();
 *
 * Users are written straight into the passwd-file (the server re-reads it on the next login).
 * stop() sends SIGTERM, then SIGKILL after a timeout, and removes the home (set
 * COLUMBA_TEST_KEEP_HOME=1 to keep it). The child is killed if the test process exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadConfig, mergeConfig, type ConfigOverrides } from '../../core/config/load.ts';
import { addPasswdUser } from '../../core/auth/passwd-file.ts';
import { hashPassword, type HashScheme } from '../../core/auth/schemes.ts';
import type { Config } from '../../core/config/schema.ts';

/** Bound ports; 0 for a listener that is disabled (connecting to it fails at once). */
export type TestPorts = { imap: number; imaps: number; pop3: number; pop3s: number; lmtp: number };

export interface TestServer {
  ports: TestPorts;
  host: string;
  home: string;
  configFile: string;
  config: Config;
  pid: number;
  /** Add a user to the passwd-file (default scheme SSHA512: real but fast). */
  addUser(name: string, password: string, scheme?: HashScheme): Promise<void>;
  /** Everything the server wrote to stderr so far (JSON log lines). */
  logs(): string;
  /** Everything the server wrote to stdout so far. */
  stdout(): string;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** How long to wait for `columba ready` (default 60 s: first start compiles TypeScript). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'columba.js');
const LISTEN_LINE = /^(imap|imaps|pop3|pop3s|lmtp) listening on (\S+):(\d+)$/;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export async function startTestServer(overrides: ConfigOverrides = {}, opts: TestServerOptions = {}): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'columba-e2e-'));
  const configFile = join(home, 'columba.yaml');
  const raw = mergeConfig(
    { home, log: { level: 'warn' }, listen: { host: '127.0.0.1', imap: 0, imaps: 0, pop3: 0, pop3s: 0, lmtp: 0 } },
    overrides,
  );
  writeFileSync(configFile, stringify(raw));
  const config = loadConfig(configFile);

  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, COLUMBA_HOME: home, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );

  const ports: TestPorts = { imap: 0, imaps: 0, pop3: 0, pop3s: 0, lmtp: 0 };
  let host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`columba serve did not get ready in time\nstdout:\n${out}\nstderr:\n${err}`));
    }, opts.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^columba ready$/m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`columba serve exited with ${code} before ready\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  for (const line of out.split('\n')) {
    const m = LISTEN_LINE.exec(line.trim());
    if (m) {
      ports[m[1] as keyof TestPorts] = Number(m[3]);
      host = m[2]!;
    }
  }

  let stopping: Promise<void> | null = null;
  return {
    ports,
    host,
    home,
    configFile,
    config,
    pid: child.pid!,
    async addUser(name, password, scheme = 'SSHA512') {
      await addPasswdUser(config.auth.passwdFile!, name, await hashPassword(password, scheme));
    },
    logs: () => err,
    stdout: () => out,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), opts.stopTimeoutMs ?? 10_000);
          await exited;
          clearTimeout(timer);
        }
        if (!process.env.COLUMBA_TEST_KEEP_HOME) rmSync(home, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
