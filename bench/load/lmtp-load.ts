/**
 * LMTP load: each client keeps a connection (LHLO once) and sends transactions: MAIL FROM, one to
 * `maxRecipients` RCPT TO among the users, DATA with a corpus message (its size mix), then reads
 * one reply per recipient. One operation = one delivered message (all its recipients).
 * Also `deliverAll` for preloading mailboxes before a run (the same mail on every server).
 */
import { Conn } from './conn.ts';
import { Rng } from '../corpus/rng.ts';
import { Budget, LoadStats, usSince, type LoadOptions, type LoadResult } from './stats.ts';

export interface LmtpLoadOptions extends Omit<LoadOptions, 'users'> {
  /** Recipient addresses (local parts are enough for Columba and a Dovecot passwd-file). */
  recipients: string[];
  maxRecipients: number;
  messages: Buffer[];
}

/** Dot-stuff (lines starting with '.') and terminate. Messages are CRLF already. */
export function dataPayload(msg: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  if (msg[0] === 0x2e) parts.push(Buffer.from('.'));
  for (let i = msg.indexOf('\n.'); i >= 0; i = msg.indexOf('\n.', i + 1)) {
    parts.push(msg.subarray(from, i + 1), Buffer.from('.'));
    from = i + 1;
  }
  parts.push(msg.subarray(from));
  const endsCrlf = msg.length >= 2 && msg[msg.length - 2] === 13 && msg[msg.length - 1] === 10;
  parts.push(Buffer.from(endsCrlf ? '.\r\n' : '\r\n.\r\n'));
  return Buffer.concat(parts);
}

class LmtpClient {
  constructor(
    readonly conn: Conn,
    private readonly stats: LoadStats,
  ) {}

  static async connect(host: string, port: number, stats: LoadStats): Promise<LmtpClient> {
    const conn = await Conn.open(host, port, 120_000);
    const c = new LmtpClient(conn, stats);
    const greet = await c.reply();
    if (!greet.startsWith('220')) throw new Error(`greeting: ${greet}`);
    const lhlo = await c.send('LHLO bench.example');
    if (!lhlo.startsWith('250')) throw new Error(`LHLO: ${lhlo}`);
    return c;
  }

  /** A whole reply (multi-line replies use `250-`); returns its last line. */
  async reply(): Promise<string> {
    for (;;) {
      const l = await this.conn.line();
      if (l[3] !== '-') return l;
    }
  }

  async send(line: string): Promise<string> {
    this.conn.write(line + '\r\n');
    return this.reply();
  }

  /** One transaction. Returns the number of recipients that got a 250 after DATA. */
  async deliver(to: string[], message: Buffer, payload: Buffer): Promise<number> {
    const start = process.hrtime.bigint();
    const mail = await this.send('MAIL FROM:<bench@example.net>');
    if (!mail.startsWith('250')) return this.fail('MAIL', mail);
    let accepted = 0;
    for (const r of to) {
      const rr = await this.send(`RCPT TO:<${r}>`);
      if (rr.startsWith('250')) accepted++;
      else this.classify('RCPT', rr);
    }
    if (accepted === 0) {
      await this.send('RSET');
      return 0;
    }
    const data = await this.send('DATA');
    if (!data.startsWith('354')) return this.fail('DATA', data);
    this.conn.write(payload);
    let ok = 0;
    for (let i = 0; i < accepted; i++) {
      const r = await this.reply();
      if (r.startsWith('250')) ok++;
      else this.classify('DATA', r);
    }
    // A message no recipient got is not throughput (its refusals are counted above).
    if (ok > 0) this.stats.record('DELIVERY', usSince(start));
    this.stats.count('recipients', ok);
    this.stats.count('bytes', message.length);
    return ok;
  }

  private classify(what: string, reply: string): void {
    if (/^4/.test(reply)) this.stats.refusal(`${what}: ${reply}`);
    else this.stats.protocolError(`${what}: ${reply}`);
  }

  private fail(what: string, reply: string): number {
    this.classify(what, reply);
    return 0;
  }

  async quit(): Promise<void> {
    try {
      await this.send('QUIT');
    } catch {
      // closed already
    }
    await this.conn.end();
  }
}

export async function runLmtpLoad(opts: LmtpLoadOptions): Promise<LoadResult> {
  const stats = new LoadStats('lmtp');
  const budget = new Budget(opts.seconds, opts.maxOps ?? Infinity, stats);
  const root = new Rng(opts.seed);
  const payloads = opts.messages.map(dataPayload);
  const started = performance.now();
  const client = async (i: number) => {
    const rng = root.fork();
    while (!budget.over) {
      let c: LmtpClient | null = null;
      try {
        c = await LmtpClient.connect(opts.host, opts.port, stats);
        stats.sessions++;
        while (!budget.over) {
          const k = rng.int(1, Math.min(opts.maxRecipients, opts.recipients.length));
          const to = new Set<string>();
          while (to.size < k) to.add(rng.pick(opts.recipients));
          const m = rng.int(0, opts.messages.length - 1);
          await c.deliver([...to], opts.messages[m]!, payloads[m]!);
        }
        await c.quit();
      } catch (err) {
        stats.protocolError(`client ${i}: ${(err as Error).message}`);
        c?.conn.close();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  return stats.result((performance.now() - started) / 1000);
}

export interface PreloadResult {
  delivered: number;
  /** Messages the server refused even after one retry (reported, never hidden). */
  failed: number;
  samples: string[];
}

/**
 * Deliver every message to its recipient (message i to recipients[i mod n]) over `parallel`
 * connections. A refused delivery is retried once; what still fails is counted and reported.
 */
export async function deliverAll(host: string, port: number, recipients: string[], messages: Iterable<Buffer>, parallel = 4): Promise<PreloadResult> {
  const stats = new LoadStats('preload');
  const clients = await Promise.all(Array.from({ length: parallel }, () => LmtpClient.connect(host, port, stats)));
  const it = messages[Symbol.iterator]();
  let index = 0;
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    clients.map(async (c) => {
      for (;;) {
        const next = it.next();
        if (next.done) break;
        const rcpt = recipients[index++ % recipients.length]!;
        const payload = dataPayload(next.value);
        const ok = (await c.deliver([rcpt], next.value, payload)) === 1 || (await c.deliver([rcpt], next.value, payload)) === 1;
        if (ok) delivered++;
        else failed++;
      }
      await c.quit();
    }),
  );
  return { delivered, failed, samples: stats.errorSamples.slice(0, 5) };
}
