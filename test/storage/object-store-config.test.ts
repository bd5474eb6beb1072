/** storage.driver 's3' and storage.cache wire into createObjectStore (against s3rver). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../core/config/schema.ts';
import { loadServerModules } from '../../core/server-modules.ts';
import { tempHome } from './helpers.ts';
import { startS3rver } from './s3rver-process.ts';

test('defaults: fs driver, s3 block and cache present, cache off', () => {
  const c = configSchema.parse({});
  assert.is(c.storage.driver, 'fs');
  assert.is(c.storage.s3.endpoint, null);
  assert.is(c.storage.s3.forcePathStyle, false);
  assert.ok(c.storage.s3.maxInFlight >= 1);
  assert.is(c.storage.cache.enabled, false);
  assert.throws(() => configSchema.parse({ storage: { s3: { bucket: 'b', typo: 1 } } }));
});

test('driver s3 with the cache: objects land in the bucket and in home/objcache', async () => {
  const server = await startS3rver('wired');
  const home = tempHome();
  try {
    const config = configSchema.parse({
      home,
      storage: {
        driver: 's3',
        s3: { endpoint: server.endpoint, bucket: 'wired', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
        cache: { enabled: true, maxBytes: 1 << 20 },
      },
    });
    const modules = await loadServerModules();
    const store = modules.createObjectStore!(config);
    assert.is(store.driver, 'fscache(s3)');
    await store.put('x/1', Buffer.from('through'), { guid: 'g' });
    assert.equal(await store.head('x/1'), { key: 'x/1', size: 7, meta: { guid: 'g' } });
    assert.is(readdirSync(join(home, 'objcache')).length, 1);
    await store.close();

    // A plain s3 store (no cache) sees the same object on the server.
    const plain = modules.createObjectStore!(configSchema.parse({ ...config, storage: { ...config.storage, cache: { enabled: false } } }));
    assert.is(plain.driver, 's3');
    assert.is((await plain.get('x/1')).data.toString(), 'through');
    await plain.close();
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
