/**
 * Runs `columba serve` as a child process on a given COLUMBA_HOME with every port free-picked,
 * for tests that must kill it (-9) and start it again on the same data.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = new URL('../../bin/columba.js', import.meta.url).pathname;

export interface ColumbaProcess {
  child: ChildProcess;
  ports: Record<string, number>;
  output: () => string;
}

export function writeTestConfig(home: string, extra = ''): string {
  const file = join(home, 'columba.yaml');
  writeFileSync(
    file,
    `home: ${home}\nlog:\n  level: warn\nlisten:\n  host: 127.0.0.1\n  imap: 0\n  imaps: 0\n  pop3: 0\n  pop3s: 0\n  lmtp: 0\n` +
      `auth:\n  failureDelayMs: 0\n${extra}`,
  );
  return file;
}

export async function columbaCli(home: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, ...args, '--config', join(home, 'columba.yaml')], {
    env: { ...process.env, COLUMBA_HOME: home },
  });
  return stdout;
}

export function startColumbaProcess(home: string): Promise<ColumbaProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--config', join(home, 'columba.yaml')], {
    env: { ...process.env, COLUMBA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/columba ready/.test(out)) {
        clearTimeout(timer);
        const ports: Record<string, number> = {};
        for (const m of out.matchAll(/^(\w+) listening on [^\s]+:(\d+)$/gm)) ports[m[1]!] = Number(m[2]);
        resolve({ child, ports, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

export function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
