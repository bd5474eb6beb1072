/**
 * Runs `columba serve` as a child process on a given COLUMBA_HOME with every port free-picked,
 * for tests that must kill it (-9) and start it again on the same data.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnColumbaServe } from '../../bench/load/columba-serve.ts';

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

/** The server on `home`'s columba.yaml, ready, with its ports (the bench's spawner). */
export function startColumbaProcess(home: string): Promise<ColumbaProcess> {
  return spawnColumbaServe({ configFile: join(home, 'columba.yaml'), home });
}

export function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
