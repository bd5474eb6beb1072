/**
 * A private redis-server for tests: 127.0.0.1, a free port, no persistence, stopped by pid.
 * `startRedis()` resolves null (with the reason in `redisUnavailable()`) when redis-server is
 * not installed, so suites can skip and say why; test/install-deps.sh installs it for CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export interface RedisHandle {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** REDIS_SERVER=/path/to/redis-server overrides the PATH search (a missing path means "absent"). */
export function findRedisServer(): string | null {
  const forced = process.env.REDIS_SERVER;
  if (forced !== undefined) return forced !== '' && existsSync(forced) ? forced : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
    const p = join(dir, 'redis-server');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Why Redis tests cannot run here, or null when they can. */
export function redisUnavailable(): string | null {
  if (findRedisServer()) return null;
  return process.env.REDIS_SERVER !== undefined
    ? `REDIS_SERVER=${process.env.REDIS_SERVER} does not exist`
    : 'redis-server is not installed (test/install-deps.sh installs it)';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startOnce(bin: string): Promise<RedisHandle> {
  const port = await freePort();
  const proc: ChildProcess = spawn(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    pid: proc.pid!,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid!, 'SIGTERM');
        await exited;
      }
    },
  };
}

/** Null when redis-server is absent. Retries once: the free port may be taken in between. */
export async function startRedis(): Promise<RedisHandle | null> {
  const bin = findRedisServer();
  if (!bin) return null;
  try {
    return await startOnce(bin);
  } catch {
    return startOnce(bin);
  }
}
