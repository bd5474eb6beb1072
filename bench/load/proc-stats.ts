/**
 * Server cost from /proc: CPU seconds (user + system) and RSS of a process and all of its
 * descendants (Dovecot runs a process per login or per session; Columba is one process with
 * threads). Children that exited and were reaped count through the parent's cutime/cstime.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux USER_HZ on every mainstream kernel
const PAGE_KB = 4;

interface ProcEntry {
  pid: number;
  ppid: number;
  /** utime + stime of the process itself. */
  ownTicks: number;
  /** cutime + cstime: its reaped children. */
  childTicks: number;
  rssKb: number;
}

function readStat(pid: number): ProcEntry | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name is in parentheses and may hold spaces: split after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state); field N is f[N - 3].
    return {
      pid,
      ppid: Number(f[1]),
      ownTicks: Number(f[11]) + Number(f[12]),
      childTicks: Number(f[13]) + Number(f[14]),
      rssKb: Number(f[21]) * PAGE_KB,
    };
  } catch {
    return null; // exited meanwhile
  }
}

/** The process and its live descendants. */
export function processTree(rootPid: number): ProcEntry[] {
  const all: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const e = readStat(Number(name));
    if (e) all.push(e);
  }
  const byParent = new Map<number, ProcEntry[]>();
  for (const e of all) {
    const list = byParent.get(e.ppid);
    if (list) list.push(e);
    else byParent.set(e.ppid, [e]);
  }
  const root = all.find((e) => e.pid === rootPid);
  if (!root) return [];
  const out: ProcEntry[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    out.push(e);
    stack.push(...(byParent.get(e.pid) ?? []));
  }
  return out;
}

export interface TreeSample {
  cpuSeconds: number;
  rssKb: number;
  processes: number;
}

/** CPU so far (own + reaped children, over the tree) and current RSS of the tree. */
export function sampleTree(rootPid: number): TreeSample {
  const tree = processTree(rootPid);
  let ticks = 0;
  let rss = 0;
  for (const e of tree) {
    ticks += e.ownTicks + e.childTicks;
    rss += e.rssKb;
  }
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssKb: rss, processes: tree.length };
}

export interface ServerCost {
  cpuSeconds: number;
  peakRssKb: number;
  peakProcesses: number;
}

/** Samples the tree every `everyMs` until stopped; `stop()` gives CPU used and peak RSS. */
export function watchServer(rootPid: number, everyMs = 200): { stop: () => ServerCost } {
  const first = sampleTree(rootPid);
  let peakRss = first.rssKb;
  let peakProcs = first.processes;
  const timer = setInterval(() => {
    const s = sampleTree(rootPid);
    peakRss = Math.max(peakRss, s.rssKb);
    peakProcs = Math.max(peakProcs, s.processes);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const last = sampleTree(rootPid);
      return {
        cpuSeconds: Math.round((last.cpuSeconds - first.cpuSeconds) * 100) / 100,
        peakRssKb: Math.max(peakRss, last.rssKb),
        peakProcesses: Math.max(peakProcs, last.processes),
      };
    },
  };
}

/**
 * Proportional set size of the tree (shared pages split between the processes that map them),
 * from /proc/PID/smaps_rollup. Summed RSS counts a shared library once per process, which makes
 * a process-per-connection server look far bigger than it is; PSS does not.
 */
export function treePssKb(rootPid: number): number {
  let total = 0;
  for (const e of processTree(rootPid)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${e.pid}/smaps_rollup`, 'latin1'));
      total += m ? Number(m[1]) : e.rssKb;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
