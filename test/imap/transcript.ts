/**
 * The IMAP transcript runner. A transcript is a data file of steps, one a line:
 *
 *   # comment                      (blank lines too)
 *   C: a LOGIN alice secret        send a line (CRLF added) on connection 1; `C2:` for connection 2
 *   S: a OK Logged in              the next server line on connection 1 must be exactly this
 *   S~ ^\* OK \[UIDVALIDITY \d+\]  ... or match this regex (`S2~` for connection 2); named groups
 *                                  `(?<uv>\d+)` are kept and `${uv}` in later `C:` lines is replaced
 *   ! deliver alice INBOX simple date=2024-01-02T03:04:05Z flags=\Seen,\Flagged
 *   ! connect 2 loopback=false secure=false tlsAvailable=true   (before first use; else defaults)
 *   ! raw 1 "a NOOP\r\nb NOOP\r\n"  send a JSON string as it is
 *   ! drop 1 / ! idle-timeout 1 / ! shutdown 1     connection gone / idle timer / server stop
 *   ! closed 1                     the server must have closed connection 1
 *   ! until 1 ^b OK \[READ-WRITE\]  skip server lines up to one matching the regex
 *
 * `! config {json}` on the first line(s) sets config before anything runs. At the end, every
 * connection must have no unread output. Fixtures (`simple`) are test/imap/fixtures/NAME.eml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestServer, crlf, type FakeTransportOptions, type ImapTestClient, type TestServer } from './harness.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export function fixture(name: string): Buffer {
  return crlf(readFileSync(join(FIXTURES, `${name}.eml`), 'utf8'));
}

interface Step {
  lineNo: number;
  kind: 'C' | 'S' | 'S~' | '!';
  conn: number;
  text: string;
}

function parseSteps(source: string): Step[] {
  const steps: Step[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '' || line.startsWith('#')) return;
    if (line.startsWith('!')) return void steps.push({ lineNo, kind: '!', conn: 0, text: line.slice(1).trim() });
    const m = /^([CS])(\d*)([:~]) ?(.*)$/s.exec(line);
    if (!m) throw new Error(`line ${lineNo}: cannot read ${JSON.stringify(line)}`);
    const kind = m[1] === 'C' ? 'C' : m[3] === '~' ? 'S~' : 'S';
    steps.push({ lineNo, kind, conn: m[2] ? Number(m[2]) : 1, text: m[4]! });
  });
  return steps;
}

function parseOptions(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) out[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return out;
}

export async function runTranscript(source: string, name = 'transcript'): Promise<void> {
  const steps = parseSteps(source);
  let config: Record<string, unknown> = {};
  while (steps[0]?.kind === '!' && steps[0].text.startsWith('config ')) {
    config = { ...config, ...JSON.parse(steps.shift()!.text.slice(7)) };
  }
  const server: TestServer = createTestServer({ config });
  const conns = new Map<number, ImapTestClient>();
  const conn = (n: number, opts?: FakeTransportOptions): ImapTestClient => {
    let c = conns.get(n);
    if (!c) conns.set(n, (c = server.connect(opts)));
    return c;
  };
  // Named groups of `S~` regexes, for `${name}` in later client lines (e.g. a UIDVALIDITY).
  const vars: Record<string, string> = {};
  const fail = (step: Step, msg: string): never => {
    throw new Error(`${name}:${step.lineNo}: ${msg}`);
  };
  try {
    for (const step of steps) {
      if (step.kind === 'C') conn(step.conn).send(step.text.replace(/\$\{(\w+)\}/g, (all, k: string) => vars[k] ?? all));
      else if (step.kind === 'S' || step.kind === 'S~') {
        let got: string | null;
        try {
          got = await conn(step.conn).nextLine();
        } catch (err) {
          fail(step, `expected ${JSON.stringify(step.text)}: ${(err as Error).message}`);
        }
        const match = step.kind === 'S~' && got! !== null ? new RegExp(step.text).exec(got!) : null;
        const good = step.kind === 'S' ? got! === step.text : match !== null;
        if (match?.groups) Object.assign(vars, match.groups);
        if (!good) fail(step, `expected ${step.kind === 'S' ? JSON.stringify(step.text) : `/${step.text}/`}\n      got ${JSON.stringify(got!)}`);
      } else await directive(step);
    }
    await new Promise((r) => setTimeout(r, 5));
    for (const [n, c] of conns) {
      const left = c.transport.pending();
      if (left.length > 0) throw new Error(`${name}: connection ${n} has unexpected output: ${JSON.stringify(left)}`);
    }
  } finally {
    await server.close();
  }

  async function directive(step: Step): Promise<void> {
    const [verb, ...args] = step.text.split(/\s+/);
    switch (verb) {
      case 'deliver': {
        const [user, mailbox, fix, ...rest] = args as [string, string, string, ...string[]];
        const o = parseOptions(rest);
        await server.deliver(user, mailbox, fixture(fix), {
          ...(o.date ? { internalDate: new Date(o.date) } : {}),
          ...(o.flags ? { flags: o.flags.split(',') } : {}),
        });
        return;
      }
      case 'connect': {
        const o = parseOptions(args.slice(1));
        const b = (v: string | undefined) => (v === undefined ? undefined : v === 'true');
        conn(Number(args[0]), { secure: b(o.secure), loopback: b(o.loopback), tlsAvailable: b(o.tlsAvailable) });
        return;
      }
      case 'raw': {
        const text = JSON.parse(step.text.slice(step.text.indexOf('"'))) as string;
        conn(Number(args[0])).sendRaw(text);
        return;
      }
      case 'drop':
        conn(Number(args[0])).transport.closed = true;
        conn(Number(args[0])).session.onClose();
        return;
      case 'idle-timeout':
        conn(Number(args[0])).session.onIdleTimeout();
        return;
      case 'shutdown':
        await conn(Number(args[0])).session.onShutdown();
        return;
      case 'closed': {
        const c = conn(Number(args[0]));
        const line = await c.nextLine();
        if (line !== null || !c.transport.closed) fail(step, `expected the connection closed, got ${JSON.stringify(line)}`);
        return;
      }
      case 'until': {
        // Skip server lines up to one matching the regex (SELECT's untagged lines vary by slice).
        const re = new RegExp(step.text.replace(/^until\s+\d+\s+/, ''));
        const c = conn(Number(args[0]));
        for (;;) {
          const line = await c.nextLine();
          if (line === null) fail(step, `closed before a line matching /${re.source}/`);
          if (re.test(line!)) return;
        }
      }
      case 'wait': {
        // Let queued work settle (e.g. after a drop) before looking at the store.
        await new Promise((r) => setTimeout(r, Number(args[0] ?? 10)));
        return;
      }
      default:
        fail(step, `unknown directive ${verb}`);
    }
  }
}
