/**
 * `node bin/columba.js serve --config FILE` as a child process: waits for `columba ready`, reads
 * the `NAME listening on HOST:PORT` lines, keeps a bounded tail of the output for error reports,
 * and stops by pid (SIGTERM, then SIGKILL). The bench targets build on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const BIN = new URL('../../bin/columba.js', import.meta.url).pathname;
const TAIL = 20_000;

export interface ServeOptions {
  configFile: string;
  home: string;
  nodeFlags?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface ServeProcess {
  child: ChildProcess;
  /** Listener name (imap, pop3, lmtp, metrics...) → port. */
  ports: Record<string, number>;
  output(): string;
  stop(): Promise<void>;
}

export async function spawnColumbaServe(o: ServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...(o.nodeFlags ?? []), BIN, 'serve', '--config', o.configFile], {
    env: { ...process.env, COLUMBA_HOME: o.home, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  let out = '';
  let stdout = '';
  // Bounded: a chatty server must not grow us.
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-TAIL)));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`columba did not start:\n${out}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      stdout += d.toString();
      if (!/^columba ready$/m.test(stdout)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const found: Record<string, number> = {};
      for (const m of stdout.matchAll(/^(\w+) listening on [^\s]+:(\d+)$/gm)) found[m[1]!] = Number(m[2]);
      resolve(found);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`columba exited (${code ?? signal}) before ready:\n${stdout}${out}`));
    });
  });
  out = (stdout + out).slice(-TAIL);
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-TAIL)));
  return {
    child,
    ports,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
