/**
 * Memory of a server's process tree as the idle bench reports it: summed RSS (counts a shared
 * library once per process) and PSS (shared pages split between the processes mapping them: the
 * fair figure for a process-per-connection server), both in KiB, and the process count.
 */
import { sampleTree, treePssKb } from '../load/proc-stats.ts';

export interface MemorySample {
  rssKb: number;
  pssKb: number;
  processes: number;
}

export function sampleMemory(pid: number): MemorySample {
  const tree = sampleTree(pid);
  return { rssKb: tree.rssKb, pssKb: treePssKb(pid), processes: tree.processes };
}

/** Summed over several roots (the client processes). */
export function sampleMany(pids: readonly number[]): MemorySample {
  const out: MemorySample = { rssKb: 0, pssKb: 0, processes: 0 };
  for (const p of pids) {
    const s = sampleMemory(p);
    out.rssKb += s.rssKb;
    out.pssKb += s.pssKb;
    out.processes += s.processes;
  }
  return out;
}

/** Bytes per connection of the growth from `base` to `now` (0 when there are none). */
export function perConnection(baseKb: number, nowKb: number, connections: number): number {
  return connections > 0 ? Math.round(((nowKb - baseKb) * 1024) / connections) : 0;
}

/** Sleeps, so that lazy frees and GC settle before a sample. */
export function settle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
