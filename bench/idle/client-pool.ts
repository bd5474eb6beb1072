/**
 * The parent side of the idle clients: forks `processes` client processes (client-proc.ts), gives
 * each its own slice of source addresses and users, and grows the number of idle connections in
 * steps (`openTo(N)`), logins bounded by `concurrency` in total across processes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertLoopback } from '../load/conn.ts';
import type { UserCredential } from '../load/stats.ts';
import type { ClientCommand, ClientReply } from './client-proc.ts';

const entry = fileURLToPath(new URL('./client-proc.ts', import.meta.url));

export interface ClientPoolOptions {
  host: string;
  port: number;
  users: UserCredential[];
  processes: number;
  localAddresses: string[];
  setupTimeoutMs?: number;
}

export interface OpenResult {
  /** Idle connections held after this step, over all processes. */
  open: number;
  failed: number;
  /** Connections that reached IDLE and were closed by the server since. */
  dropped: number;
  /** Distinct failure messages with counts (`12× LOGIN: ...`). */
  errors: string[];
  seconds: number;
}

interface Child {
  proc: ChildProcess;
  waiters: Array<(r: ClientReply) => void>;
}

function request(c: Child, cmd: ClientCommand): Promise<ClientReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`idle client process exited (${code})`));
    c.proc.once('exit', onExit);
    c.waiters.push((r) => {
      c.proc.off('exit', onExit);
      if (r.type === 'fatal') reject(new Error(r.message));
      else resolve(r);
    });
    c.proc.send(cmd);
  });
}

export class IdleClientPool {
  private readonly children: Child[];
  private held = 0;

  private constructor(children: Child[]) {
    this.children = children;
  }

  static async start(o: ClientPoolOptions): Promise<IdleClientPool> {
    assertLoopback(o.host);
    const n = Math.max(1, o.processes);
    const children: Child[] = [];
    for (let k = 0; k < n; k++) {
      // Only the addresses of this process: two processes never share a (source, port) space.
      const mine = o.localAddresses.filter((_, i) => i % n === k);
      const proc = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const child: Child = { proc, waiters: [] };
      proc.on('message', (r: ClientReply) => child.waiters.shift()?.(r));
      children.push(child);
      await request(child, {
        cmd: 'init',
        host: o.host,
        port: o.port,
        users: o.users,
        userOffset: k,
        localAddresses: mine.length > 0 ? mine : o.localAddresses,
        setupTimeoutMs: o.setupTimeoutMs ?? 300_000,
      });
    }
    return new IdleClientPool(children);
  }

  /** Client process ids (to measure their memory apart from the server's). */
  get pids(): number[] {
    return this.children.map((c) => c.proc.pid!).filter((p) => p !== undefined);
  }

  /** Open connections until `total` are held (failures included in the attempt count). */
  async openTo(total: number, concurrency: number): Promise<OpenResult> {
    const want = Math.max(0, total - this.held);
    const n = this.children.length;
    const started = performance.now();
    const replies = await Promise.all(
      this.children.map((c, k) => {
        const count = Math.floor(want / n) + (k < want % n ? 1 : 0);
        return request(c, { cmd: 'open', count, concurrency: Math.max(1, Math.ceil(concurrency / n)) });
      }),
    );
    this.held += want;
    let failed = 0;
    const errors: string[] = [];
    for (const r of replies) {
      if (r.type !== 'opened') continue;
      failed += r.failed;
      errors.push(...r.errors);
    }
    const status = await this.status();
    return { open: status.open, failed, dropped: status.dropped, errors, seconds: (performance.now() - started) / 1000 };
  }

  async status(): Promise<{ open: number; dropped: number }> {
    const replies = await Promise.all(this.children.map((c) => request(c, { cmd: 'status' })));
    let open = 0;
    let dropped = 0;
    for (const r of replies) {
      if (r.type !== 'status') continue;
      open += r.open;
      dropped += r.dropped;
    }
    return { open, dropped };
  }

  /** Close every connection and end the client processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
            const t = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
            c.proc.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            try {
              c.proc.send({ cmd: 'close' } satisfies ClientCommand);
            } catch {
              c.proc.kill('SIGKILL');
            }
          }),
      ),
    );
  }
}
