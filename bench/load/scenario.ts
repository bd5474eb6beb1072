/**
 * One pass of the workloads against one started target: preload the same mail (through its
 * LMTP), then each workload at each client count, with the server's CPU and peak RSS measured
 * around each run.
 */
import { generateCorpus } from '../corpus/generate.ts';
import { runImapLoad } from './imap-load.ts';
import { deliverAll, runLmtpLoad, type PreloadResult } from './lmtp-load.ts';
import { runPop3Load } from './pop3-load.ts';
import { watchServer, type ServerCost } from './proc-stats.ts';
import type { LoadResult } from './stats.ts';
import type { Target } from './target.ts';

export type Workload = 'imap-login' | 'imap-persistent' | 'pop3' | 'lmtp';

export interface ScenarioOptions {
  workloads: Workload[];
  clientCounts: number[];
  seconds: number;
  maxOps?: number;
  seed: number;
  /** Messages delivered to each user before the runs (0: none, e.g. an external server). */
  preloadPerUser: number;
  /** Size cap of preloaded and APPENDed messages. */
  imapMaxBytes: number;
  /** Size cap of the LMTP load's messages (the corpus mix up to this). */
  lmtpMaxBytes: number;
  /** Every LMTP message about this size instead of the mix (e.g. 10240 as in the target). */
  lmtpFixedBytes?: number;
  lmtpRecipients: number;
  log?: (line: string) => void;
}

export interface RunRecord {
  target: string;
  round: number;
  workload: Workload;
  clients: number;
  result: LoadResult;
  /** Null when the server process is not ours to watch (--against). */
  cost: (ServerCost & { cpuSecondsPer1000Ops: number; peakRssMiB: number }) | null;
  /** CPU seconds the load generator itself used (it shares the machine with the server). */
  clientCpuSeconds: number;
}

/** The messages the APPENDs and LMTP deliveries draw from: same seed, same bytes everywhere. */
export function messagePools(o: Pick<ScenarioOptions, 'seed' | 'imapMaxBytes' | 'lmtpMaxBytes' | 'lmtpFixedBytes'>): { append: Buffer[]; lmtp: Buffer[] } {
  return {
    append: [...generateCorpus({ seed: o.seed + 1, count: 100, maxBytes: o.imapMaxBytes })],
    lmtp: [...generateCorpus({ seed: o.seed + 2, count: 200, maxBytes: o.lmtpMaxBytes, fixedBytes: o.lmtpFixedBytes })],
  };
}

export async function preload(target: Target, perUser: number, seed: number, maxBytes: number): Promise<PreloadResult> {
  if (perUser <= 0 || target.ports.lmtp === null) return { delivered: 0, failed: 0, samples: [] };
  const names = target.users.map((u) => u.name);
  return deliverAll(target.host, target.ports.lmtp, names, generateCorpus({ seed, count: perUser * names.length, maxBytes }), 4);
}

export async function runScenario(target: Target, round: number, o: ScenarioOptions, pools: { append: Buffer[]; lmtp: Buffer[] }): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const workload of o.workloads) {
    for (const clients of o.clientCounts) {
      const port = workload === 'pop3' ? target.ports.pop3 : workload === 'lmtp' ? target.ports.lmtp : target.ports.imap;
      if (port === null) continue;
      const base = { host: target.host, port, users: target.users, clients, seconds: o.seconds, maxOps: o.maxOps, seed: o.seed + round };
      const watch = target.pid !== null ? watchServer(target.pid) : null;
      const clientCpu = process.cpuUsage();
      let result: LoadResult;
      if (workload === 'imap-login' || workload === 'imap-persistent') {
        result = await runImapLoad({ ...base, session: workload === 'imap-login' ? 'login' : 'persistent', appendPool: pools.append });
      } else if (workload === 'pop3') {
        result = await runPop3Load(base);
      } else {
        result = await runLmtpLoad({ ...base, recipients: target.users.map((u) => u.name), maxRecipients: o.lmtpRecipients, messages: pools.lmtp });
      }
      const c = watch?.stop() ?? null;
      const used = process.cpuUsage(clientCpu);
      const clientCpuSeconds = Math.round((used.user + used.system) / 10_000) / 100;
      const cost = c
        ? { ...c, cpuSecondsPer1000Ops: result.ops > 0 ? Math.round((c.cpuSeconds / result.ops) * 1000 * 1000) / 1000 : 0, peakRssMiB: Math.round(c.peakRssKb / 102.4) / 10 }
        : null;
      out.push({ target: target.label, round, workload, clients, result, cost, clientCpuSeconds });
      o.log?.(
        `${target.label.padEnd(11)} r${round} ${workload.padEnd(15)} c=${String(clients).padEnd(4)} ` +
          `${result.opsPerSecond.toFixed(1).padStart(8)} ops/s  p50 ${(result.latencyUs.p50 / 1000).toFixed(2)} ms  p99 ${(result.latencyUs.p99 / 1000).toFixed(2)} ms  ` +
          `err ${result.protocolErrors}/${result.refusals}` +
          (cost ? `  cpu ${cost.cpuSecondsPer1000Ops} s/1k ops  rss ${cost.peakRssMiB} MiB` : '') +
          `  client cpu ${clientCpuSeconds} s`,
      );
    }
  }
  return out;
}
