/**
 * One target through the idle steps: start it, preload a little mail, sample its baseline, then
 * grow the idle connections to each N of `steps` in turn (1k, 10k, 50k), sampling the server's
 * memory after each, and stop it. A step that opens nothing ends the target's run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { preload } from '../load/scenario.ts';
import type { Target } from '../load/target.ts';
import { IdleClientPool } from './client-pool.ts';
import { sourceAddresses } from './limits.ts';
import { perConnection, sampleMany, settle } from './measure.ts';
import type { IdleStep, IdleTargetRecord } from './report.ts';

export interface IdleBenchOptions {
  steps: number[];
  /** Logins in flight at once, over all client processes. */
  concurrency: number;
  /** Client processes (0: enough for the largest step at perClientProcess each). */
  clientProcesses: number;
  /** Most connections one client process holds (its descriptor limit). */
  perClientProcess: number;
  /** Messages preloaded per user through LMTP (the mailbox SELECT opens). */
  preloadPerUser: number;
  /** Wait before sampling, so that GC and lazy frees settle. */
  settleMs: number;
  /** Connections opened and closed before the baseline (0: none). */
  warmup: number;
  /** Connections per source address (well under the ephemeral port range). */
  perAddress: number;
  /** Columba only: after each step, SIGUSR2 (node --heapsnapshot-signal) and wait for the file in this folder. */
  heapSnapshotDir?: string;
  log?: (line: string) => void;
}

/** Waits until a new .heapsnapshot in `dir` stops growing. */
async function waitSnapshot(dir: string, before: Set<string>): Promise<string | null> {
  for (let i = 0; i < 600; i++) {
    await settle(500);
    const fresh = readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (fresh.length === 0) continue;
    const f = join(dir, fresh[0]!);
    const a = statSync(f).size;
    await settle(1000);
    if (a > 0 && statSync(f).size === a) return f;
  }
  return null;
}

/** Splits `n` into `k` near-equal parts. */
function split(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * `shards` > 1 starts that many instances of the target (each its own process and port) and
 * spreads every step over them: how N passes one process's descriptor limit where it cannot
 * be raised. Memory is summed over the instances; each has its own baseline.
 */
/** What a signal must stop: the servers and client pools of the target being measured. */
const live = { targets: new Set<Target>(), pools: new Set<IdleClientPool>() };

/** On SIGINT/SIGTERM, stop what runIdleTarget started (never leave a Dovecot or 50k sockets behind). */
export function stopOnSignal(): void {
  const stop = async (sig: NodeJS.Signals) => {
    process.stderr.write(`bench idle: ${sig}, stopping servers\n`);
    for (const p of live.pools) await p.close().catch(() => undefined);
    for (const t of live.targets) await t.stop().catch(() => undefined);
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function runIdleTarget(label: string, start: () => Promise<Target>, o: IdleBenchOptions, shards = 1): Promise<IdleTargetRecord> {
  const log = o.log ?? (() => {});
  const record: IdleTargetRecord = { label, shards, baseline: { rssKb: 0, pssKb: 0, processes: 0 }, steps: [] };
  const targets: Target[] = [];
  const pools: IdleClientPool[] = [];
  try {
    for (let i = 0; i < shards; i++) {
      const t = await start();
      targets.push(t);
      live.targets.add(t);
    }
  } catch (err) {
    record.error = (err as Error).message;
    for (const t of targets) await t.stop();
    return record;
  }
  const pids = targets.map((t) => t.pid!);
  const max = Math.max(...o.steps);
  const perShardMax = Math.ceil(max / shards);
  try {
    for (const t of targets) {
      const pre = await preload(t, o.preloadPerUser, 1, 16_000);
      if (pre.failed > 0) log(`${label}: preload: ${pre.failed} deliveries failed`);
    }
    // Warm-up: a burst of logins at full concurrency, then closed, so that what a server starts
    // lazily on first logins (Columba's SHA512-CRYPT worker threads, Dovecot's auth and login
    // processes) is in the baseline and not charged to the idle connections.
    if (o.warmup > 0) {
      for (const t of targets) {
        const warm = await IdleClientPool.start({ host: t.host, port: t.ports.imap, users: t.users, processes: 1, localAddresses: ['127.2.0.1'] });
        await warm.openTo(o.warmup, o.concurrency);
        await warm.close();
      }
    }
    await settle(o.settleMs);
    record.baseline = sampleMany(pids);
    const addresses = sourceAddresses(max, o.perAddress);
    const clientsPerShard = Math.max(1, Math.ceil((o.clientProcesses > 0 ? o.clientProcesses : Math.ceil(max / o.perClientProcess)) / shards));
    for (const [i, t] of targets.entries()) {
      pools.push(
        await IdleClientPool.start({
          host: t.host,
          port: t.ports.imap,
          users: t.users,
          processes: Math.max(clientsPerShard, Math.ceil(perShardMax / o.perClientProcess)),
          // Each instance its own addresses: the per-address counts stay as planned.
          localAddresses: addresses.filter((_, k) => k % shards === i),
        }),
      );
      live.pools.add(pools[pools.length - 1]!);
    }
    for (const n of o.steps) {
      const parts = split(n, shards);
      const opened = await Promise.all(pools.map((p, i) => p.openTo(parts[i]!, Math.max(1, Math.ceil(o.concurrency / shards)))));
      await settle(o.settleMs);
      const statuses = await Promise.all(pools.map((p) => p.status()));
      const open = statuses.reduce((a, s) => a + s.open, 0);
      const dropped = statuses.reduce((a, s) => a + s.dropped, 0);
      const failed = opened.reduce((a, r) => a + r.failed, 0);
      const server = sampleMany(pids);
      const step: IdleStep = {
        connections: n,
        open,
        failed,
        dropped,
        errors: opened.flatMap((r) => r.errors),
        setupSeconds: Math.round(Math.max(...opened.map((r) => r.seconds)) * 10) / 10,
        server,
        rssPerConnection: perConnection(record.baseline.rssKb, server.rssKb, open),
        pssPerConnection: perConnection(record.baseline.pssKb, server.pssKb, open),
        client: sampleMany(pools.flatMap((p) => p.pids)),
      };
      record.steps.push(step);
      log(
        `${label.padEnd(24)} ${String(n).padStart(6)}: ${open} idle, ${failed} failed, ${dropped} dropped, setup ${step.setupSeconds} s; ` +
          `${(step.pssPerConnection / 1024).toFixed(1)} KiB PSS, ${(step.rssPerConnection / 1024).toFixed(1)} KiB RSS per connection; ` +
          `server ${Math.round(server.pssKb / 1024)} MiB PSS in ${server.processes} processes`,
      );
      for (const e of step.errors.slice(0, 5)) log(`  ${e}`);
      if (o.heapSnapshotDir && existsSync(o.heapSnapshotDir)) {
        const before = new Set(readdirSync(o.heapSnapshotDir));
        process.kill(pids[0]!, 'SIGUSR2');
        log(`  heap snapshot: ${(await waitSnapshot(o.heapSnapshotDir, before)) ?? 'not written'}`);
      }
      if (open === 0) break;
    }
  } catch (err) {
    record.error = (err as Error).message;
    log(`${label}: ${record.error}`);
  } finally {
    for (const p of pools) {
      await p.close();
      live.pools.delete(p);
    }
    for (const t of targets) {
      await t.stop();
      live.targets.delete(t);
    }
  }
  return record;
}
