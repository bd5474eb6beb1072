/**
 * The mail store on sproxyd (stand-in server) with the Redis key index, built from config by
 * createObjectStore (storage.driver: sproxyd), with and without fscache: state survives a
 * restart on another home (no metacache), and the index lists what recovery needs.
 * Skipped, saying why, only when redis-server is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { configSchema, type Config } from '../../core/config/schema.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { messagePrefix } from '../../core/storage/keys.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { loadServerModules } from '../../core/server-modules.ts';
import { redisUnavailable, startRedis } from '../helpers/redis-process.ts';
import { msg, tempHome } from './helpers.ts';
import { freshName } from './sproxyd-factories.ts';
import { startSproxydServer } from './sproxyd-server.ts';

const why = redisUnavailable();
if (why) console.log(`skipping the mail store on sproxyd: ${why}`);
// Registering nothing (rather than test.skip) keeps test/run.ts's arithmetic right: uvu's
// Total excludes skipped tests, and the runner subtracts them again.
const run = why ? (_name: string, _fn: () => Promise<void>): void => {} : test;

function sproxydConfig(endpoint: string, redisUrl: string, name: string, cacheDir: string | null): Config {
  return configSchema.parse({
    home: tempHome(),
    storage: {
      driver: 'sproxyd',
      sproxyd: { endpoints: [endpoint], path: `/proxy/${name}`, maxInFlight: 8, retries: 2, listIndex: redisUrl, listIndexNamespace: name },
      cache: cacheDir ? { enabled: true, dir: cacheDir, maxBytes: 1 << 20 } : {},
    },
  });
}

for (const cached of [false, true]) {
  run(`messages, flags and mailboxes survive a restart (fscache: ${cached})`, async () => {
    const server = await startSproxydServer();
    const redis = (await startRedis())!;
    const cacheDir = tempHome();
    const homes: string[] = [];
    // Object stores hold Redis connections and keep-alive sockets: closed in `finally`, or a
    // failed assertion would leave the suite hanging.
    const stores: ObjectStore[] = [];
    try {
      const modules = await loadServerModules();
      const name = freshName('mail');
      const open = (): { config: Config; store: ReturnType<typeof createMailStore> } => {
        const config = sproxydConfig(server.endpoint, redis.url, name, cached ? cacheDir : null);
        homes.push(config.home);
        const objects = modules.createObjectStore!(config);
        stores.push(objects);
        return { config, store: createMailStore({ config, objects }) };
      };
      const a = open().store;
      const s = await a.openUser('dora');
      await s.createMailbox('Reisen/Übersee');
      await s.append('Reisen/Übersee', msg('far away'), { flags: ['$Label1'] });
      await s.append('INBOX', msg('hello'));
      await s.append('INBOX', msg('second'));
      await s.release();
      await a.close();

      // A different home: no local metacache, everything comes from sproxyd + the index.
      const b = open().store;
      const s2 = await b.openUser('dora');
      assert.equal((await s2.listMailboxes()).map((m) => m.name).filter((n) => n.startsWith('Reisen')), ['Reisen', 'Reisen/Übersee']);
      const v = await s2.openMailbox('Reisen/Übersee', { readOnly: true });
      assert.equal(v.meta(1).flags, ['$Label1']);
      assert.ok((await v.read(1)).toString().includes('Subject: far away'));
      await v.close();
      assert.is((await s2.status('INBOX')).messages, 2);
      await s2.release();
      await b.close();

      // The index lists the three message objects under the user's partition.
      const config = sproxydConfig(server.endpoint, redis.url, name, null);
      homes.push(config.home);
      const objects = modules.createObjectStore!(config);
      const keys: string[] = [];
      for await (const k of objects.list(messagePrefix('dora'))) keys.push(k);
      assert.is(keys.length, 3);
      stores.push(objects);
    } finally {
      for (const o of stores) await o.close().catch(() => {});
      await server.stop();
      await redis.stop();
      for (const h of [...homes, cacheDir]) rmSync(h, { recursive: true, force: true });
    }
  });
}

test.run();
