/**
 * `columba mailbox rebuild USER`: throw the user's index away (local journals and snapshots,
 * index bundles in the object store) and build it again from the message objects alone. Each
 * object's header names the mailbox it was saved to and its flags at save; UIDs are given in
 * save order. Later flag changes and UIDVALIDITY are lost: that is what an index is for.
 * The user must not be open anywhere while this runs.
 */
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { userMetacacheDir } from '../index/durable-persistence.ts';
import { messagePrefix, userPrefix } from './keys.ts';
import { createMailStore, metacacheDir } from './mail-store-impl.ts';
import type { Codec } from './message-object.ts';
import type { ObjectStore } from './object-store.ts';

export interface RebuildResult {
  mailboxes: number;
  messages: number;
  objects: number;
}

export async function rebuildUser(objects: ObjectStore, config: Config, user: string, opts: { codec?: Codec; log?: Logger } = {}): Promise<RebuildResult> {
  const indexPrefix = `${userPrefix(user)}i/`;
  const stale: string[] = [];
  for await (const k of objects.list(indexPrefix)) stale.push(k);
  for (const k of stale) await objects.delete(k);
  await rm(userMetacacheDir(metacacheDir(config), user), { recursive: true, force: true });

  let count = 0;
  for await (const _ of objects.list(messagePrefix(user))) count++;

  // A fresh open finds no index and adds every message object (recovery), then snapshots.
  const provider = createMailStore({ config, objects, codec: opts.codec, log: opts.log, journal: objects.driver === 'memory' ? 'memory' : 'fs' });
  const store = await provider.openUser(user);
  const list = await store.listMailboxes();
  const usage = await store.usage();
  await store.release();
  await provider.close();
  opts.log?.info({ user, mailboxes: list.length, messages: usage.messages }, 'mailbox index rebuilt');
  return { mailboxes: list.length, messages: usage.messages, objects: count };
}
