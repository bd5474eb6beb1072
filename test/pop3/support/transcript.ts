/**
 * Literal transcript runner shared by POP3 and LMTP. A transcript file is read line by line:
 *
 *   # comment                      ignored (so are blank lines)
 *   @config <path> <json>          config key (dotted path) before the first session starts
 *   @user <name> <password>        a user the Authenticator double knows (name may be a JSON string)
 *   @transport <key> <json>        fake transport property (secure, loopback, tlsAvailable, remoteAddress)
 *   @msg <user>                    append a message to INBOX; its lines follow as `M: text` (CRLF added)
 *   C: text                        client sends text + CRLF
 *   R: text                        client sends raw bytes; escapes \r \n \t \0 \\ \xHH
 *   S: text                        the next server line must be exactly text
 *   S~ regex                       the next server line must match (for store-made values: UIDL)
 *   !closed | !open                connection closed / still open
 *   !drop | !timeout | !shutdown   client drops / idle timer fires / server shuts down
 *   !tls                           STLS/STARTTLS was started since the last check
 *   !idle <seconds>                the idle timer was last armed with this value
 *   !session <pop3|lmtp>           start a new connection (the previous one is dropped if open)
 *   !inbox <user> <count>          the user's INBOX holds count messages
 *   !fail-append <user> <CODE>     the user's next append fails with that StorageError code
 *
 * Every transcript runs twice: whole lines, then one byte per delivery.
 */
import { readFileSync } from 'node:fs';
import type { StorageErrorCode } from '../../../core/storage/errors.ts';
import type { MailStoreProvider } from '../../../core/storage/mail-store.ts';
import type { SessionFactory } from '../../../protocols/net/types.ts';
import { Harness, type FakeTransport, type TestClient } from './harness.ts';

export interface TranscriptEnv {
  factories: Record<string, SessionFactory>;
  /** Fresh store per run. */
  makeStore(config: Harness['config']): Promise<StoreHandle> | StoreHandle;
}

export interface StoreHandle {
  provider: MailStoreProvider;
  append(user: string, raw: Buffer): Promise<void>;
  inboxCount(user: string): Promise<number>;
  failNextAppend(user: string, code: StorageErrorCode): void;
  close(): Promise<void>;
}

export function unescape(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out.push(...Buffer.from(c));
      continue;
    }
    const n = text[++i];
    if (n === 'r') out.push(13);
    else if (n === 'n') out.push(10);
    else if (n === 't') out.push(9);
    else if (n === '0') out.push(0);
    else if (n === 'x') out.push(parseInt(text.slice(i + 1, (i += 2) + 1), 16));
    else out.push(...Buffer.from(n ?? ''));
  }
  return Buffer.from(out);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

export async function runTranscript(file: string, env: TranscriptEnv, firstProtocol: string, splitBytes: boolean): Promise<void> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rawConfig: Record<string, unknown> = {};
  const transportProps: Record<string, unknown> = {};
  let harness: Harness | null = null;
  let store: StoreHandle | null = null;
  let client: TestClient | null = null;
  let pendingMessage: { user: string; lines: string[] } | null = null;

  const ensureHarness = async () => {
    if (harness) return harness;
    harness = new Harness(null as unknown as MailStoreProvider, rawConfig);
    store = await env.makeStore(harness.config);
    harness.store = store.provider;
    return harness;
  };
  const flushMessage = async () => {
    if (!pendingMessage) return;
    const { user, lines: body } = pendingMessage;
    pendingMessage = null;
    await ensureHarness();
    await store!.append(user, Buffer.from(body.map((l) => l + '\r\n').join('')));
  };
  const start = async (protocol: string) => {
    const h = await ensureHarness();
    if (client && !client.transport.closed) client.drop();
    const factory = env.factories[protocol];
    if (!factory) throw new Error(`no session factory ${protocol}`);
    client = h.connect(factory, (t: FakeTransport) => Object.assign(t, transportProps), splitBytes);
    return client;
  };
  const current = async () => client ?? start(firstProtocol);

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const where = `${file}:${i + 1}`;
    try {
      if (line.startsWith('M: ') || line === 'M:') {
        if (!pendingMessage) throw new Error('M: line without @msg');
        pendingMessage.lines.push(line.slice(3));
        continue;
      }
      await flushMessage();
      if (line.trim() === '' || line.startsWith('#')) continue;
      const [word, ...rest] = line.split(' ');
      switch (word) {
        case '@config': {
          if (harness) throw new Error('@config after the first session');
          setPath(rawConfig, rest[0]!, JSON.parse(rest.slice(1).join(' ')));
          break;
        }
        case '@user': {
          // A name with spaces is written as a JSON string: @user "john doe" secret
          const quoted = /^("(?:[^"\\]|\\.)*") (.*)$/.exec(rest.join(' '));
          const [name, password] = quoted ? [JSON.parse(quoted[1]!) as string, quoted[2]!] : [rest[0]!, rest.slice(1).join(' ')];
          (await ensureHarness()).auth.users.set(name, password);
          break;
        }
        case '@transport':
          transportProps[rest[0]!] = JSON.parse(rest.slice(1).join(' '));
          break;
        case '@msg':
          pendingMessage = { user: rest[0]!, lines: [] };
          break;
        case 'C:':
          (await current()).send(line.slice(3));
          break;
        case 'R:':
          (await current()).sendRaw(unescape(line.slice(3)));
          break;
        case 'S:':
          await (await current()).expect(line.slice(3));
          break;
        case 'S~': {
          const got = await (await current()).line();
          if (!new RegExp(`^(?:${line.slice(3)})$`).test(got)) throw new Error(`expected /${line.slice(3)}/, got ${JSON.stringify(got)}`);
          break;
        }
        case '!closed':
          await (await current()).expectClosed();
          break;
        case '!open': {
          const c = await current();
          await c.settle();
          if (c.transport.closed) throw new Error('connection closed');
          break;
        }
        case '!drop':
          (await current()).drop();
          await (await current()).settle();
          break;
        case '!timeout':
          (await current()).session.onIdleTimeout();
          break;
        case '!shutdown':
          await (await current()).session.onShutdown();
          break;
        case '!tls': {
          const c = await current();
          if (!(await c.transport.waitFor(() => c.transport.tlsStarts > 0))) throw new Error('TLS not started');
          c.transport.tlsStarts = 0;
          break;
        }
        case '!idle': {
          const c = await current();
          await c.settle();
          if (c.transport.idleSeconds !== Number(rest[0])) throw new Error(`idle timer ${c.transport.idleSeconds}, want ${rest[0]}`);
          break;
        }
        case '!session':
          await start(rest[0]!);
          break;
        case '!inbox': {
          await (await current()).settle();
          const n = await store!.inboxCount(rest[0]!);
          if (n !== Number(rest[1])) throw new Error(`INBOX of ${rest[0]} has ${n} messages, want ${rest[1]}`);
          break;
        }
        case '!fail-append':
          await ensureHarness();
          store!.failNextAppend(rest[0]!, rest[1] as StorageErrorCode);
          break;
        default:
          throw new Error(`unknown transcript line: ${line}`);
      }
    } catch (err) {
      throw new Error(`${where} (${splitBytes ? 'byte by byte' : 'whole lines'}): ${(err as Error).message}`);
    }
  }
  await flushMessage();
  if (client) await (client as TestClient).settle();
  const h = harness as Harness | null;
  if (h && h.errors().length > 0) throw new Error(`${file}: unexpected errors logged: ${JSON.stringify(h.errors().map((e) => e.msg))}`);
  if (client && !(client as TestClient).transport.closed) (client as TestClient).drop();
  await (store as StoreHandle | null)?.close();
}
