/**
 * Small clients and checks for the S3 failover test: a tagged IMAP line client, "wait until the
 * index of a user went up", and a look at a user through a fresh backend (empty metacache).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../core/config/schema.ts';
import { createS3Store, type S3StoreOptions } from '../../core/storage/drivers/s3.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { messagePrefix, userPrefix } from '../../core/storage/keys.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { LineClient } from '../net/line-client.ts';
import type { FaultProxy } from '../helpers/fault-proxy.ts';

export class Imap {
  private n = 0;
  private constructor(private c: LineClient) {}

  static async login(port: number, user: string): Promise<Imap> {
    const c = await LineClient.connect(port);
    const greeting = await c.next();
    if (!greeting?.startsWith('* OK')) throw new Error(`greeting: ${greeting}`);
    const imap = new Imap(c);
    const r = await imap.run(`LOGIN ${user} pw`);
    if (!r.ok) throw new Error(`login: ${r.lines.join('|')}`);
    return imap;
  }

  /** One tagged command; `ok` when the tagged reply is OK. Throws when the connection dies. */
  async run(command: string): Promise<{ ok: boolean; lines: string[] }> {
    const tag = `T${++this.n}`;
    this.c.send(`${tag} ${command}\r\n`);
    const lines: string[] = [];
    for (;;) {
      const l = await this.c.next();
      if (l === null) throw new Error('connection closed');
      lines.push(l);
      if (l.startsWith(`${tag} `)) return { ok: l.startsWith(`${tag} OK`), lines };
    }
  }

  append(box: string, message: string): Promise<{ ok: boolean; lines: string[] }> {
    return this.run(`APPEND ${box} {${Buffer.byteLength(message)}+}\r\n${message}`);
  }

  async close(): Promise<void> {
    await this.run('LOGOUT').catch(() => undefined);
    this.c.end();
  }

  end(): void {
    this.c.end();
  }
}

export const testMessage = (id: string, body = 'hello'): string =>
  `From: a@example.org\r\nTo: b@example.org\r\nSubject: ${id}\r\nMessage-ID: <${id}@failover>\r\n\r\n${body}\r\n`;

/**
 * Waits until an index upload of `user` that the backend started after log position `mark` has
 * reached the server (its root key, written last, is stored), and none of the user's index PUTs is still on its way: from then on the
 * changes acknowledged before `mark` are in the bucket.
 */
export async function uploadedSince(proxy: FaultProxy, user: string, mark: number, deadlineMs = 20_000): Promise<void> {
  const prefix = `${userPrefix(user)}i/`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    const puts = proxy.log.filter((e) => e.op === 'put' && e.key.startsWith(prefix));
    const since = proxy.log.slice(mark).filter((e) => e.op === 'put' && e.key.startsWith(prefix));
    // The root (base or diff under i/root/) goes up last: once it is there, the upload is whole.
    const rootDone = since.some((e) => e.key.startsWith(`${prefix}root/`) && e.status === 200);
    if (rootDone && puts.every((e) => e.status !== 0)) return;
    if (Date.now() > until) throw new Error(`no index upload of ${user} after the change`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface MessageSeen {
  mailbox: string;
  uid: number;
  guid: string;
  flags: string[];
  /** From the Message-ID header of the stored bytes. */
  id: string | null;
}

export interface UserSeen {
  uidValidity: Map<string, number>;
  messages: MessageSeen[];
  /** Indexed messages whose object is gone (read answered EXPUNGED): dangling references. */
  dangling: { mailbox: string; uid: number; guid: string }[];
  /** GUIDs of the user's message objects in the bucket. */
  objects: Set<string>;
}

/**
 * The user as a fresh backend (own empty home and metacache, same bucket) serves it: every
 * mailbox, every message read in full.
 */
export async function viewFromFreshBackend(s3: Omit<S3StoreOptions, 'maxInFlight' | 'retries'>, user: string): Promise<UserSeen> {
  const home = mkdtempSync(join(tmpdir(), 'columba-failover-b-'));
  const config = configSchema.parse({ home, log: { level: 'silent' }, storage: { driver: 's3', s3 } });
  const objects = createS3Store({ ...config.storage.s3, ...s3, maxInFlight: 8, retries: 2 });
  const provider = createMailStore({ config, objects, lingerMs: 0 });
  const seen: UserSeen = { uidValidity: new Map(), messages: [], dangling: [], objects: new Set() };
  try {
    const store = await provider.openUser(user);
    for (const box of await store.listMailboxes()) {
      if (box.noSelect) continue;
      const view = await store.openMailbox(box.name, { readOnly: true });
      seen.uidValidity.set(box.name, view.uidValidity);
      for (let seq = 1; seq <= view.count(); seq++) {
        const meta = view.meta(seq);
        let raw: string;
        try {
          raw = (await view.read(seq)).toString('latin1');
        } catch (err) {
          if (!isStorageError(err, 'EXPUNGED')) throw err;
          seen.dangling.push({ mailbox: box.name, uid: meta.uid, guid: meta.guid });
          continue;
        }
        const id = /Message-ID: <([^@]+)@failover>/.exec(raw)?.[1] ?? null;
        seen.messages.push({ mailbox: box.name, uid: meta.uid, guid: meta.guid, flags: meta.flags, id });
      }
      await view.close();
    }
    await store.release();
    for await (const key of objects.list(messagePrefix(user))) seen.objects.add(key.slice(key.lastIndexOf('/') + 1));
  } finally {
    await provider.close();
    await objects.close();
    rmSync(home, { recursive: true, force: true });
  }
  return seen;
}
