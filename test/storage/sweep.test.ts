/**
 * `columba storage sweep`: an orphan (an object no index refers to, saved long before the newest
 * index) goes; referenced, young and purge-marked objects stay; --dry-run deletes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { encodeMessageObject } from '../../core/storage/message-object.ts';
import { messageKey, newGuid } from '../../core/storage/keys.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { indexKeyTime, sweepUser } from '../../core/storage/sweep.ts';
import { parseDuration } from '../../core/cli/storage-command.ts';
import type { Config } from '../../core/config/schema.ts';
import { runColumba } from '../cli/run-cli.ts';
import { msg, testConfig } from './helpers.ts';

const HOUR = 3_600_000;

/** An object written as a delivery would, but never indexed ("crash" before the journal). */
async function writeUnindexed(objects: ObjectStore, config: Config, user: string, saveDate: number): Promise<string> {
  const guid = newGuid();
  const header = { guid, mailboxGuid: newGuid(), mailboxName: 'INBOX', internalDate: saveDate, saveDate, flags: [], size: 0, pop3Uidl: guid };
  const obj = await encodeMessageObject(header, msg('orphan'), { compressMinBytes: config.storage.compressMinBytes });
  await objects.put(messageKey(user, guid), obj.data, obj.meta);
  return guid;
}

async function exists(objects: ObjectStore, user: string, guid: string): Promise<boolean> {
  return (await objects.head(messageKey(user, guid))) !== null;
}

/** A user with one indexed message, uploaded at release; returns its GUID. */
async function userWithOneMessage(config: Config, objects: ObjectStore, user: string): Promise<string> {
  const provider = createMailStore({ config, objects, lingerMs: 0 });
  const s = await provider.openUser(user);
  const { guid } = await s.append('INBOX', msg('kept'));
  await s.release();
  await provider.close();
  return guid;
}

test('indexKeyTime: a diff key gives the diff time, a base key its own', () => {
  assert.is(indexKeyTime('ab/u/i/root/bundle.000001700000000000.00aabbccddee'), null);
  assert.is(indexKeyTime('ab/u/i/root/bundle.001700000000000.00aabbccddee'), 1700000000000);
  assert.is(indexKeyTime('ab/u/i/root/bundle.001700000000000.00aabbccddee-DIFF.001700000009999.0102030405ff'), 1700000009999);
});

test('parseDuration', () => {
  assert.is(parseDuration('1h'), HOUR);
  assert.is(parseDuration('90'), 90_000);
  assert.is(parseDuration('30m'), 1_800_000);
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('soon'), null);
  assert.is(parseDuration('-1h'), null);
});

test('sweep removes an old orphan only; dry run removes nothing', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const kept = await userWithOneMessage(config, objects, 'ana');
  const now = Date.now();
  const orphan = await writeUnindexed(objects, config, 'ana', now - 2 * HOUR);
  const young = await writeUnindexed(objects, config, 'ana', now - 60_000);

  const dry = await sweepUser(objects, config, 'ana', { minAgeMs: HOUR, dryRun: true });
  assert.equal(dry.removed.map((r) => r.guid), [orphan]);
  assert.is(dry.listed, 3);
  assert.is(dry.referenced, 1);
  assert.equal(dry.keptRecent, [young]);
  assert.ok(await exists(objects, 'ana', orphan), 'dry run deletes nothing');

  const real = await sweepUser(objects, config, 'ana', { minAgeMs: HOUR, dryRun: false });
  assert.equal(real.removed.map((r) => r.guid), [orphan]);
  assert.not.ok(await exists(objects, 'ana', orphan));
  assert.ok(await exists(objects, 'ana', kept));
  assert.ok(await exists(objects, 'ana', young));
});

test('an object saved after the newest index is kept whatever its age (maybe an unindexed delivery)', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  await userWithOneMessage(config, objects, 'bea');
  const r = await sweepUser(objects, config, 'bea', { minAgeMs: HOUR, dryRun: false, now: Date.now() + 10 * HOUR });
  assert.is(r.removed.length, 0);
  const late = await writeUnindexed(objects, config, 'bea', Date.now() + 1000);
  const r2 = await sweepUser(objects, config, 'bea', { minAgeMs: 0, dryRun: false, now: Date.now() + 10 * HOUR });
  assert.equal(r2.keptRecent, [late]);
  assert.ok(await exists(objects, 'bea', late));
});

test('a user without an index in the object store: nothing swept', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const g = await writeUnindexed(objects, config, 'cid', Date.now() - 5 * HOUR);
  const r = await sweepUser(objects, config, 'cid', { minAgeMs: HOUR, dryRun: false });
  assert.is(r.indexTime, null);
  assert.ok(await exists(objects, 'cid', g));
});

test('columba storage sweep: --dry-run prints, then a real run removes', async () => {
  const config = testConfig();
  writeFileSync(join(config.home, 'columba.yaml'), 'log:\n  level: silent\n');
  const objects = createFsStore(join(config.home, 'storage'));
  await userWithOneMessage(config, objects, 'dan');
  const orphan = await writeUnindexed(objects, config, 'dan', Date.now() - 3 * HOUR);
  const dry = await runColumba(['storage', 'sweep', 'dan', '--dry-run'], { home: config.home });
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, `would remove ${messageKey('dan', orphan)}`);
  assert.match(dry.stdout, 'dan: 2 objects, 1 referenced, 1 to remove');
  assert.ok(await exists(objects, 'dan', orphan));
  const real = await runColumba(['storage', 'sweep', 'dan', '--min-age', '2h'], { home: config.home });
  assert.is(real.code, 0, real.stderr);
  assert.match(real.stdout, `removed ${messageKey('dan', orphan)}`);
  assert.not.ok(await exists(objects, 'dan', orphan));
  const bad = await runColumba(['storage', 'sweep', 'dan', '--min-age', 'soon'], { home: config.home });
  assert.is(bad.code, 2);
});

test.run();
