/**
 * What the kernel and the process limits must allow for N idle connections on loopback, and
 * raising them when we can. Both ends of every connection live on this machine, so N idle
 * connections cost 2N descriptors (N in the server, N in the clients).
 *
 * - RLIMIT_NOFILE: raised on this process with `prlimit --pid` (root, or within the hard limit);
 *   the servers and client processes we spawn afterwards inherit it. Node raises its own soft
 *   limit to the hard one at start, so setting both is enough.
 * - fs.nr_open: the ceiling of RLIMIT_NOFILE; fs.file-max: descriptors system-wide.
 * - net.ipv4.ip_local_port_range: ephemeral ports per source address. A socket bound to a source
 *   address before connect() takes a port unique to that address, so the client spreads its
 *   connections over many 127.0.0.0/8 addresses (see sourceAddresses) to stay far below it.
 * - kernel.pid_max: Dovecot in high-security mode runs a process per connection.
 * - fs.inotify.max_user_instances / max_user_watches: Dovecot's IDLE and imap-hibernate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface LimitReport {
  /** RLIMIT_NOFILE soft:hard of this process after raising. */
  nofile: string;
  /** sysctls read (and written, see `changed`). */
  sysctls: Record<string, string>;
  /** What this run changed, e.g. `fs.nr_open 1048576 -> 2097152` or `nofile 20000 -> 200000`. */
  changed: string[];
  /** Why a wanted value could not be set (not root, ...): the run may fail above it. */
  warnings: string[];
}

function readSysctl(name: string): string {
  try {
    return readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    return '?';
  }
}

function writeSysctl(name: string, value: string): boolean {
  try {
    writeFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, value);
    return true;
  } catch {
    return false;
  }
}

function currentNofile(): { soft: number; hard: number } {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  const n = (s: string | undefined) => (s === undefined || s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/** The file-descriptor limit a run of `maxConnections` needs in each process (server side). */
export function wantedNofile(maxConnections: number): number {
  return Math.max(65_536, Math.ceil(maxConnections * 1.25) + 4096);
}

/**
 * Raise what N idle connections need. Sysctls are only raised, never lowered, and only when
 * running as root (the report says what changed so the run can be reproduced by hand).
 */
export function prepareLimits(maxConnections: number, maxProcesses = 0): LimitReport {
  const changed: string[] = [];
  const warnings: string[] = [];
  const root = process.getuid?.() === 0;
  const nofile = wantedNofile(maxConnections);
  const raise = (name: string, wanted: number) => {
    const now = Number(readSysctl(name));
    if (!(now < wanted)) return;
    if (root && writeSysctl(name, String(wanted))) changed.push(`${name} ${now} -> ${wanted}`);
    else warnings.push(`${name} is ${now}, wanted >= ${wanted}`);
  };
  raise('fs.nr_open', nofile);
  raise('fs.file-max', nofile * 3);
  // Dovecot high-security: a process per connection (plus login processes).
  if (maxProcesses > 0) raise('kernel.pid_max', Math.min(4_194_304, maxProcesses + 10_000));
  // Dovecot's IDLE watches the mailbox with an inotify instance per imap process, all under one
  // uid (nobody); past fs.inotify.max_user_instances (128 by default) it falls back to polling
  // and imap-hibernate refuses to take the session. System-wide, so raised only for Dovecot runs.
  if (maxProcesses > 0) {
    raise('fs.inotify.max_user_instances', maxProcesses + 1000);
    raise('fs.inotify.max_user_watches', (maxProcesses + 1000) * 8);
  }
  const before = currentNofile();
  if (before.soft < nofile) {
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${nofile}:${Math.max(nofile, before.hard === Number.MAX_SAFE_INTEGER ? nofile : before.hard)}`], { stdio: 'ignore' });
      changed.push(`RLIMIT_NOFILE ${before.soft}:${before.hard} -> ${nofile}`);
    } catch (err) {
      warnings.push(`prlimit --nofile=${nofile} failed (${(err as Error).message.split('\n')[0]}); run under \`ulimit -n ${nofile}\``);
    }
  }
  const after = currentNofile();
  const sysctls: Record<string, string> = {};
  for (const name of ['fs.nr_open', 'fs.file-max', 'net.ipv4.ip_local_port_range', 'kernel.pid_max', 'net.core.somaxconn', 'fs.inotify.max_user_instances']) sysctls[name] = readSysctl(name);
  return { nofile: `${after.soft}:${after.hard}`, sysctls, changed, warnings };
}

/**
 * Connections one process may hold under the current RLIMIT_NOFILE hard limit (with room for
 * its other descriptors). Where the hard limit cannot be raised (a container without
 * CAP_SYS_RESOURCE), the bench spreads N over several server and client processes.
 */
export function connectionsPerProcess(): number {
  const { hard } = currentNofile();
  return Math.max(100, Math.min(hard, 10_000_000) - 2000);
}

/** Ephemeral ports per source address, from net.ipv4.ip_local_port_range. */
export function ephemeralPorts(): number {
  const [lo, hi] = readSysctl('net.ipv4.ip_local_port_range').split(' ').map(Number);
  return lo !== undefined && hi !== undefined && hi >= lo ? hi - lo + 1 : 28_000;
}

/**
 * `count` loopback source addresses 127.1.x.y (y in 1..254), away from 127.0.0.1 where the
 * servers listen. With `perAddress` connections each, no (source, destination) pair comes near
 * the ephemeral range.
 */
export function sourceAddresses(connections: number, perAddress = 250): string[] {
  const count = Math.max(1, Math.ceil(connections / perAddress));
  return Array.from({ length: count }, (_, i) => `127.1.${Math.floor(i / 254)}.${(i % 254) + 1}`);
}
