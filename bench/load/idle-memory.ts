/**
 * The idle-connection memory benchmark: N IMAP connections logged in, INBOX selected, in IDLE;
 * reports the server tree's RSS growth per connection. Source addresses rotate over
 * 127.0.0.0/8 (`localAddresses`) so that N can pass the ~28k ephemeral ports of one address.
 */
import { connect, type Socket } from 'node:net';
import { sampleTree, treePssKb } from './proc-stats.ts';
import type { UserCredential } from './stats.ts';
import { assertLoopback } from './conn.ts';

export interface IdleOptions {
  host: string;
  port: number;
  pid: number;
  users: UserCredential[];
  connections: number;
  /** Connections opened at once (logins are CPU-heavy on the server). */
  batch?: number;
  /** Local source addresses to rotate over, e.g. 127.0.0.2..127.0.0.40. */
  localAddresses?: string[];
}

export interface IdleResult {
  connections: number;
  failed: number;
  rssBeforeKb: number;
  rssIdleKb: number;
  /** Summed RSS growth per connection (counts shared pages once per process). */
  bytesPerConnection: number;
  pssBeforeKb: number;
  pssIdleKb: number;
  /** PSS growth per connection: the fair figure for a process-per-connection server. */
  pssBytesPerConnection: number;
  processes: number;
  setupSeconds: number;
}

/** Open one connection and bring it to IDLE; resolves with the socket (left open). */
function idleOne(host: string, port: number, user: UserCredential, localAddress: string | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, localAddress });
    let buf = '';
    let step = 0;
    const timer = setTimeout(() => fail(new Error('idle setup timeout')), 120_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    sock.setEncoding('latin1');
    sock.on('error', fail);
    sock.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (step === 0 && line.startsWith('* OK')) {
          step = 1;
          sock.write(`l LOGIN "${user.name}" "${user.password}"\r\n`);
        } else if (step === 1 && line.startsWith('l ')) {
          if (!line.startsWith('l OK')) return fail(new Error(line));
          step = 2;
          sock.write('s SELECT INBOX\r\n');
        } else if (step === 2 && line.startsWith('s ')) {
          if (!line.startsWith('s OK')) return fail(new Error(line));
          step = 3;
          sock.write('i IDLE\r\n');
        } else if (step === 3 && line.startsWith('+')) {
          step = 4;
          clearTimeout(timer);
          sock.removeAllListeners('data');
          sock.on('data', () => {}); // untagged updates while idling are fine
          resolve(sock);
        }
      }
    });
  });
}

export async function runIdleMemory(o: IdleOptions): Promise<IdleResult> {
  assertLoopback(o.host);
  const before = sampleTree(o.pid);
  const pssBefore = treePssKb(o.pid);
  const socks: Socket[] = [];
  let failed = 0;
  const batch = o.batch ?? 50;
  const started = performance.now();
  for (let i = 0; i < o.connections; i += batch) {
    const n = Math.min(batch, o.connections - i);
    const got = await Promise.allSettled(
      Array.from({ length: n }, (_, k) => {
        const j = i + k;
        const local = o.localAddresses?.length ? o.localAddresses[j % o.localAddresses.length] : undefined;
        return idleOne(o.host, o.port, o.users[j % o.users.length]!, local);
      }),
    );
    for (const g of got) if (g.status === 'fulfilled') socks.push(g.value);
    else failed++;
  }
  const setupSeconds = (performance.now() - started) / 1000;
  // Let the server settle (lazy frees, GC) before reading its RSS.
  await new Promise((r) => setTimeout(r, 2000));
  const idle = sampleTree(o.pid);
  const pssIdle = treePssKb(o.pid);
  for (const s of socks) s.destroy();
  return {
    connections: socks.length,
    failed,
    rssBeforeKb: before.rssKb,
    rssIdleKb: idle.rssKb,
    bytesPerConnection: socks.length > 0 ? Math.round(((idle.rssKb - before.rssKb) * 1024) / socks.length) : 0,
    pssBeforeKb: pssBefore,
    pssIdleKb: pssIdle,
    pssBytesPerConnection: socks.length > 0 ? Math.round(((pssIdle - pssBefore) * 1024) / socks.length) : 0,
    processes: idle.processes,
    setupSeconds: Math.round(setupSeconds * 10) / 10,
  };
}
