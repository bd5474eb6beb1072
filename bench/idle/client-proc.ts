/**
 * One client process of the idle benchmark (forked by client-pool.ts), so that the clients'
 * memory never counts in the server's figure. It holds idle IMAP connections: each one logs in,
 * selects INBOX and enters IDLE, then stays silent. Commands from the parent over IPC:
 * - `{ cmd: 'open', count, concurrency }`: open `count` more connections, at most `concurrency`
 *   in setup at once; answers `{ type: 'opened', ok, failed, errors, seconds }`.
 * - `{ cmd: 'status' }`: answers `{ type: 'status', open, dropped }`.
 * - `{ cmd: 'close' }`: destroys every socket and exits.
 * Set-up parameters come once, in `{ cmd: 'init', ... }` (see ClientInit).
 */
import { connect, type Socket } from 'node:net';
import type { UserCredential } from '../load/stats.ts';

export interface ClientInit {
  cmd: 'init';
  host: string;
  port: number;
  users: UserCredential[];
  /** Where in the user list this process starts (spreads users over processes). */
  userOffset: number;
  /** Source addresses this process binds to, in rotation. */
  localAddresses: string[];
  setupTimeoutMs: number;
}

export type ClientCommand = ClientInit | { cmd: 'open'; count: number; concurrency: number } | { cmd: 'status' } | { cmd: 'close' };

export type ClientReply =
  | { type: 'ready' }
  | { type: 'opened'; ok: number; failed: number; errors: string[]; seconds: number }
  | { type: 'status'; open: number; dropped: number }
  | { type: 'fatal'; message: string };

let init: ClientInit | null = null;
let next = 0;
let dropped = 0;
const open = new Set<Socket>();

function send(r: ClientReply): void {
  process.send!(r);
}

/** Login, SELECT INBOX, IDLE; resolves once the server's continuation for IDLE arrived. */
function idleOne(c: ClientInit, user: UserCredential, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: c.host, port: c.port, localAddress });
    let buf = '';
    let step = 0;
    const fail = (e: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`setup timeout at step ${step}`)), c.setupTimeoutMs);
    sock.setEncoding('latin1');
    sock.on('error', fail);
    sock.on('close', () => fail(new Error(`closed by server at step ${step}`)));
    sock.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (step === 0 && line.startsWith('* OK')) {
          step = 1;
          sock.write(`l LOGIN "${user.name}" "${user.password}"\r\n`);
        } else if (step === 1 && line.startsWith('l ')) {
          if (!line.startsWith('l OK')) return fail(new Error(`LOGIN: ${line.slice(0, 80)}`));
          step = 2;
          sock.write('s SELECT INBOX\r\n');
        } else if (step === 2 && line.startsWith('s ')) {
          if (!line.startsWith('s OK')) return fail(new Error(`SELECT: ${line.slice(0, 80)}`));
          step = 3;
          sock.write('i IDLE\r\n');
        } else if (step === 3 && line.startsWith('+')) {
          clearTimeout(timer);
          sock.removeAllListeners();
          // Untagged updates while idling are fine; a close now is a dropped connection.
          sock.on('data', () => {});
          sock.on('error', () => {});
          sock.on('close', () => {
            if (open.delete(sock)) dropped++;
          });
          open.add(sock);
          return resolve(sock);
        }
      }
    });
  });
}

async function openMany(count: number, concurrency: number): Promise<ClientReply> {
  const c = init!;
  const started = performance.now();
  let ok = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  let left = count;
  const lane = async () => {
    while (left > 0) {
      left--;
      const j = next++;
      const user = c.users[(c.userOffset + j) % c.users.length]!;
      const local = c.localAddresses[j % c.localAddresses.length]!;
      try {
        await idleOne(c, user, local);
        ok++;
      } catch (err) {
        failed++;
        const key = (err as Error).message.replace(/\d+/g, 'N');
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  return {
    type: 'opened',
    ok,
    failed,
    errors: [...errors].map(([m, n]) => `${n}× ${m}`),
    seconds: (performance.now() - started) / 1000,
  };
}

process.on('message', (m: ClientCommand) => {
  if (m.cmd === 'init') {
    init = m;
    send({ type: 'ready' });
  } else if (m.cmd === 'open') {
    if (!init) return send({ type: 'fatal', message: 'open before init' });
    openMany(m.count, m.concurrency).then(send, (err: Error) => send({ type: 'fatal', message: err.message }));
  } else if (m.cmd === 'status') {
    send({ type: 'status', open: open.size, dropped });
  } else if (m.cmd === 'close') {
    for (const s of open) s.destroy();
    open.clear();
    process.disconnect();
    process.exit(0);
  }
});
// The parent went away: do not linger holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
