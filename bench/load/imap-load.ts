/**
 * IMAP load like imaptest's default profile: each client logs in, SELECTs INBOX, then runs cycles
 * of FETCH (flags; envelope and sizes; a whole body), SEARCH, STORE flags, APPEND, a \Deleted
 * STORE and EXPUNGE (one message in, one out, so mailboxes keep their size), and LOGOUT.
 * `session: 'login'` opens a new connection and logs in for every cycle (what imaptest measures);
 * `session: 'persistent'` keeps one session per client for the whole run; its clock starts once
 * every client has connected, logged in and selected (a warm-up that is not measured, reported
 * as the `warmupMs` counter), so the figures are those of N working sessions, not of N connecting.
 * Connecting counts as an operation (`CONNECT`: TCP connect up to the greeting), since a server
 * that starts a process per connection makes its clients wait there.
 */
import type { Conn } from './conn.ts';
import type { Rng } from '../corpus/rng.ts';
import { Barrier, Budget, connectForGreeting, LoadStats, runClients, usSince, type LoadOptions, type LoadResult } from './stats.ts';

export interface ImapLoadOptions extends LoadOptions {
  session: 'login' | 'persistent';
  /** Messages to APPEND, picked at random (a corpus slice). */
  appendPool: Buffer[];
}

interface Reply {
  status: 'OK' | 'NO' | 'BAD' | 'BYE';
  text: string;
}

class ImapClient {
  private tagNo = 0;
  exists = 0;

  constructor(
    private readonly conn: Conn,
    /** Where commands are counted (the warm-up's stats, then the run's). */
    public stats: LoadStats,
  ) {}

  static async connect(host: string, port: number, stats: LoadStats): Promise<ImapClient> {
    return new ImapClient(await connectForGreeting(host, port, '* OK', stats), stats);
  }

  /** Reads untagged responses (skipping literals) until the tagged reply. */
  private async readUntil(tag: string): Promise<Reply> {
    for (;;) {
      const line = await this.conn.line();
      // A line ending in {N} has an N-byte literal after it, and the response goes on after that
      // (possibly with more literals); only the first segment says what the response is.
      for (let m = /\{(\d+)\}$/.exec(line); m; ) {
        const n = Number(m[1]);
        await this.conn.skip(n);
        this.stats.count('literalBytes', n);
        m = /\{(\d+)\}$/.exec(await this.conn.line());
      }
      if (line.startsWith(tag + ' ')) {
        const rest = line.slice(tag.length + 1);
        const sp = rest.indexOf(' ');
        const status = (sp < 0 ? rest : rest.slice(0, sp)).toUpperCase();
        if (status === 'OK' || status === 'NO' || status === 'BAD') return { status, text: line };
        throw new Error(`bad tagged line: ${line}`);
      }
      if (line.startsWith('* ')) {
        const m = /^\* (\d+) (EXISTS|EXPUNGE)\b/i.exec(line);
        if (m) {
          if (m[2]!.toUpperCase() === 'EXISTS') this.exists = Number(m[1]);
          else this.exists = Math.max(0, this.exists - 1);
        } else if (/^\* BYE\b/i.test(line)) {
          // A BYE before LOGOUT's tagged OK is normal; otherwise the server is closing on us.
          continue;
        }
        continue;
      }
      if (line.startsWith('+')) throw new Error(`unexpected continuation: ${line}`);
      throw new Error(`unexpected line: ${line}`);
    }
  }

  /** One command, timed, counted under `name`. */
  async command(name: string, args: string): Promise<Reply> {
    const tag = `a${++this.tagNo}`;
    const start = process.hrtime.bigint();
    this.conn.write(`${tag} ${args}\r\n`);
    const reply = await this.readUntil(tag);
    this.finish(name, start, reply);
    return reply;
  }

  /** APPEND with a synchronizing literal (works against any server). */
  async append(mailbox: string, message: Buffer): Promise<Reply> {
    const tag = `a${++this.tagNo}`;
    const start = process.hrtime.bigint();
    this.conn.write(`${tag} APPEND ${mailbox} (\\Seen) {${message.length}}\r\n`);
    const cont = await this.conn.line();
    if (!cont.startsWith('+')) {
      const reply: Reply = cont.startsWith(tag + ' NO') ? { status: 'NO', text: cont } : { status: 'BAD', text: cont };
      this.finish('APPEND', start, reply);
      return reply;
    }
    this.conn.write(message);
    this.conn.write('\r\n');
    const reply = await this.readUntil(tag);
    this.finish('APPEND', start, reply);
    this.stats.count('appendBytes', message.length);
    return reply;
  }

  private finish(name: string, start: bigint, reply: Reply): void {
    this.stats.record(name, usSince(start));
    if (reply.status === 'NO') this.stats.refusal(`${name}: ${reply.text}`);
    else if (reply.status !== 'OK') this.stats.protocolError(`${name}: ${reply.text}`);
  }

  async logout(): Promise<void> {
    await this.command('LOGOUT', 'LOGOUT');
    await this.conn.end();
  }

  close(): void {
    this.conn.close();
  }
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

const SEARCHES = ['SEARCH UNSEEN', 'SEARCH FLAGGED', 'SEARCH SINCE 1-Jan-2026', 'SEARCH FROM "example.net"', 'SEARCH SUBJECT "license"', 'SEARCH LARGER 20000'];
const FLAGS = ['\\Seen', '\\Flagged', '\\Answered', '$Forwarded', '\\Draft'];

/** One imaptest-like cycle on a selected INBOX. */
async function cycle(c: ImapClient, rng: Rng, opts: ImapLoadOptions): Promise<void> {
  const n = c.exists;
  if (n > 0) {
    const lo = rng.int(1, n);
    const hi = Math.min(n, lo + rng.int(0, 20));
    await c.command('FETCH-FLAGS', `FETCH ${lo}:${hi} (UID FLAGS)`);
    if (rng.chance(0.5)) await c.command('FETCH-ENVELOPE', `FETCH ${lo}:${hi} (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`);
    if (rng.chance(0.3)) await c.command('FETCH-BODY', `FETCH ${rng.int(1, Math.max(1, c.exists))} (BODY.PEEK[])`);
  }
  if (rng.chance(0.3)) await c.command('SEARCH', rng.pick(SEARCHES));
  if (c.exists > 0 && rng.chance(0.5)) {
    const seq = rng.int(1, c.exists);
    await c.command('STORE', `STORE ${seq} ${rng.chance(0.5) ? '+' : '-'}FLAGS.SILENT (${rng.pick(FLAGS)})`);
  }
  await c.append('INBOX', rng.pick(opts.appendPool));
  if (c.exists > 0) {
    await c.command('STORE', `STORE ${rng.int(1, c.exists)} +FLAGS.SILENT (\\Deleted)`);
    await c.command('EXPUNGE', 'EXPUNGE');
  }
}

/** The persistent mix's warm-up: every client logged in and selected before the clock starts. */
interface Warmup {
  stats: LoadStats;
  barrier: Barrier;
  arrived: Set<number>;
}

async function session(opts: ImapLoadOptions, stats: LoadStats, rng: Rng, user: { name: string; password: string }, budget: Budget, client: number, warmup: Warmup | null): Promise<void> {
  const warming = warmup !== null && !warmup.arrived.has(client);
  // A client back after a failed setup waits for the clock like everyone else.
  if (warmup && !warming) await warmup.barrier.passed;
  const arrive = async () => {
    if (!warming || warmup.arrived.has(client)) return;
    warmup.arrived.add(client);
    await warmup.barrier.arrive();
  };
  let c: ImapClient | null = null;
  try {
    c = await ImapClient.connect(opts.host, opts.port, warming ? warmup.stats : stats);
    const login = await c.command('LOGIN', `LOGIN ${quote(user.name)} ${quote(user.password)}`);
    if (login.status !== 'OK') return;
    const sel = await c.command('SELECT', 'SELECT INBOX');
    if (sel.status !== 'OK') return;
    c.stats = stats;
    await arrive();
    do {
      await cycle(c, rng, opts);
    } while (opts.session === 'persistent' && !budget.over);
    await c.logout();
    stats.sessions++;
  } finally {
    // A client whose setup failed still arrives, or the others would wait for it forever.
    await arrive();
    c?.close();
  }
}

export async function runImapLoad(opts: ImapLoadOptions): Promise<LoadResult> {
  const stats = new LoadStats(opts.session === 'login' ? 'imap-login' : 'imap-persistent');
  const persistent = opts.session === 'persistent';
  const budget = new Budget(opts.seconds, opts.maxOps ?? Infinity, stats, { deferred: persistent });
  let warmup: Warmup | null = null;
  if (persistent) {
    const begun = performance.now();
    warmup = { stats: new LoadStats('imap-warmup'), barrier: new Barrier(opts.clients), arrived: new Set() };
    void warmup.barrier.passed.then(() => {
      budget.start(stats);
      stats.count('warmupMs', Math.round(performance.now() - begun));
    });
  }
  return runClients(opts, stats, budget, (rng, user, client) => session(opts, stats, rng, user, budget, client, warmup));
}
