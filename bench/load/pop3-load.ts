/**
 * POP3 load: each session logs in (USER/PASS), STAT, UIDL, RETRs one to three messages, DELEs
 * one in ten sessions (so that mailboxes last a run), and QUITs. Client i uses user i mod M;
 * when two clients share a user the server may refuse the second with a lock error (a refusal).
 */
import type { Conn } from './conn.ts';
import type { Rng } from '../corpus/rng.ts';
import { Budget, connectForGreeting, LoadStats, runClients, usSince, type LoadOptions, type LoadResult } from './stats.ts';

class Pop3Client {
  constructor(
    private readonly conn: Conn,
    private readonly stats: LoadStats,
  ) {}

  static async connect(host: string, port: number, stats: LoadStats): Promise<Pop3Client> {
    return new Pop3Client(await connectForGreeting(host, port, '+OK', stats), stats);
  }

  /** A single-line command. Returns the status line, or null on -ERR (counted as a refusal). */
  async simple(name: string, line: string): Promise<string | null> {
    const start = process.hrtime.bigint();
    this.conn.write(line + '\r\n');
    const reply = await this.conn.line();
    this.stats.record(name, usSince(start));
    return this.check(name, reply);
  }

  /** A multi-line command: reads to the lone dot; returns the lines (dot-unstuffed) or null. */
  async multi(name: string, line: string, keepLines: boolean): Promise<string[] | null> {
    const start = process.hrtime.bigint();
    this.conn.write(line + '\r\n');
    const first = await this.conn.line();
    if (this.check(name, first) === null) {
      this.stats.record(name, usSince(start));
      return null;
    }
    const lines: string[] = [];
    let bytes = 0;
    for (;;) {
      const l = await this.conn.line();
      if (l === '.') break;
      bytes += l.length + 2;
      if (keepLines) lines.push(l.startsWith('.') ? l.slice(1) : l);
    }
    this.stats.record(name, usSince(start));
    this.stats.count(`${name.toLowerCase()}Bytes`, bytes);
    return lines;
  }

  private check(name: string, reply: string): string | null {
    if (reply.startsWith('+OK')) return reply;
    if (reply.startsWith('-ERR')) {
      this.stats.refusal(`${name}: ${reply}`);
      return null;
    }
    this.stats.protocolError(`${name}: ${reply}`);
    return null;
  }

  async quit(): Promise<void> {
    await this.simple('QUIT', 'QUIT');
    await this.conn.end();
  }

  close(): void {
    this.conn.close();
  }
}

async function session(opts: LoadOptions, stats: LoadStats, rng: Rng, user: { name: string; password: string }): Promise<void> {
  const c = await Pop3Client.connect(opts.host, opts.port, stats);
  try {
    if ((await c.simple('USER', `USER ${user.name}`)) === null) return;
    if ((await c.simple('PASS', `PASS ${user.password}`)) === null) return;
    const stat = await c.simple('STAT', 'STAT');
    const count = stat ? Number(/^\+OK (\d+)/.exec(stat)?.[1] ?? 0) : 0;
    await c.multi('UIDL', 'UIDL', false);
    if (count > 0) {
      const retrs = rng.int(1, 3);
      for (let i = 0; i < retrs; i++) await c.multi('RETR', `RETR ${rng.int(1, count)}`, false);
      if (rng.chance(0.1)) await c.simple('DELE', `DELE ${rng.int(1, count)}`);
    }
    await c.quit();
    stats.sessions++;
  } finally {
    c.close();
  }
}

export async function runPop3Load(opts: LoadOptions): Promise<LoadResult> {
  const stats = new LoadStats('pop3');
  const budget = new Budget(opts.seconds, opts.maxOps ?? Infinity, stats);
  return runClients(opts, stats, budget, (rng, user) => session(opts, stats, rng, user));
}
