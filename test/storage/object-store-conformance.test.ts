/** One suite, every driver: the ObjectStore contract. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createFsCache } from '../../core/storage/drivers/fscache.ts';
import { createS3Store } from '../../core/storage/drivers/s3.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { tempHome } from './helpers.ts';
import { createBucket, startS3rver, type S3rverHandle } from './s3rver-process.ts';
import { sproxydConformanceFactories } from './sproxyd-factories.ts';

interface Instance {
  store: ObjectStore;
  cleanup: () => void | Promise<void>;
}
/** A driver under test: `make` gives a fresh, empty store per test; `setup`/`teardown` once per suite. */
interface DriverFactory {
  name: string;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  make: () => Instance | Promise<Instance>;
}

const tempDir = (): { dir: string; cleanup: () => void } => {
  const dir = tempHome();
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

let s3rver: S3rverHandle | null = null;
let bucketCounter = 0;
const s3Factory = (name: string, wrap: (s: ObjectStore) => Instance): DriverFactory => ({
  name,
  setup: async () => {
    s3rver ??= await startS3rver();
  },
  teardown: async () => {
    await s3rver?.stop();
    s3rver = null;
  },
  make: async () => {
    const bucket = `conformance-${++bucketCounter}`;
    await createBucket(s3rver!.endpoint, bucket);
    const store = createS3Store({
      endpoint: s3rver!.endpoint,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      maxInFlight: 16,
      retries: 3,
      listPageSize: 100, // so "many keys" crosses page boundaries
      sortListing: true, // s3rver lists in its file-name order, not S3's byte order
    });
    const wrapped = wrap(store);
    return {
      store: wrapped.store,
      cleanup: async () => {
        await wrapped.store.close();
        await wrapped.cleanup();
      },
    };
  },
});

const drivers: DriverFactory[] = [
  { name: 'memory', make: () => ({ store: createMemoryStore(), cleanup: () => {} }) },
  {
    name: 'fs',
    make: () => {
      const t = tempDir();
      return { store: createFsStore(t.dir), cleanup: t.cleanup };
    },
  },
  {
    // Puts on libuv's pool instead of the put threads (storage.fsPutThreads: 0).
    name: 'fs (putThreads 0)',
    make: () => {
      const t = tempDir();
      return { store: createFsStore(t.dir, { putThreads: 0 }), cleanup: t.cleanup };
    },
  },
  {
    name: 'fscache(memory)',
    make: () => {
      const t = tempDir();
      // Small enough that "many keys" and the binary test evict.
      return { store: createFsCache(createMemoryStore(), { dir: t.dir, maxBytes: 64 * 1024 }), cleanup: t.cleanup };
    },
  },
  s3Factory('s3 (s3rver)', (store) => ({ store, cleanup: () => {} })),
  s3Factory('fscache(s3)', (store) => {
    const t = tempDir();
    return { store: createFsCache(store, { dir: t.dir, maxBytes: 64 * 1024 }), cleanup: t.cleanup };
  }),
  ...sproxydConformanceFactories(),
];

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

for (const driver of drivers) {
  const s = suite<Instance>(`object store: ${driver.name}`);
  if (driver.setup) s.before(driver.setup);
  if (driver.teardown) s.after(driver.teardown);
  s.before.each(async (ctx) => {
    Object.assign(ctx, await driver.make());
  });
  s.after.each((ctx) => ctx.cleanup());

  s('put then get returns data and metadata', async ({ store }) => {
    await store.put('ab/user/m/1', Buffer.from('hello'), { a: '1', guid: 'x' });
    const got = await store.get('ab/user/m/1');
    assert.is(got.data.toString(), 'hello');
    assert.equal(got.meta, { a: '1', guid: 'x' });
    const h = await store.head('ab/user/m/1');
    assert.equal(h, { key: 'ab/user/m/1', size: 5, meta: { a: '1', guid: 'x' } });
  });

  s('objects small and large read back byte for byte (the fs store reads up to 1 MiB in place)', async ({ store }) => {
    for (const size of [0, 1024 * 1024 - 64, 1024 * 1024 + 1, 3 * 1024 * 1024]) {
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) data[i] = (i / 4096) % 251;
      data.fill(7, Math.max(0, size - 3));
      await store.put(`big/${size}`, data, { n: String(size) });
      const got = await store.get(`big/${size}`);
      assert.is(got.data.length, size);
      assert.ok(got.data.equals(data), `${size} bytes differ`);
      assert.equal(got.meta, { n: String(size) });
    }
  });

  s('put never overwrites', async ({ store }) => {
    await store.put('k/1', Buffer.from('first'));
    try {
      await store.put('k/1', Buffer.from('second'));
      assert.unreachable('second put succeeded');
    } catch (err) {
      assert.ok(isStorageError(err, 'EXISTS'));
    }
    assert.is((await store.get('k/1')).data.toString(), 'first');
  });

  s('missing keys: get NOT_FOUND, head null, delete resolves', async ({ store }) => {
    try {
      await store.get('no/such');
      assert.unreachable();
    } catch (err) {
      assert.ok(isStorageError(err, 'NOT_FOUND'));
    }
    assert.is(await store.head('no/such'), null);
    await store.delete('no/such');
  });

  s('delete removes, and the key can be written again', async ({ store }) => {
    await store.put('d/1', Buffer.from('x'));
    await store.delete('d/1');
    assert.is(await store.head('d/1'), null);
    assert.equal(await collect(store.list('d/')), []);
    await store.put('d/1', Buffer.from('y'));
    assert.is((await store.get('d/1')).data.toString(), 'y');
  });

  s('binary data, empty objects and awkward key characters round-trip', async ({ store }) => {
    const bin = Buffer.alloc(70000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 31 + 7) & 0xff;
    const keys = ['b/bin', 'b/empty', 'b/.hidden', 'b/..', 'b/sp ace+%25', 'b/ünï', 'b/x+', 'b/x/y'];
    await store.put(keys[0]!, bin);
    for (const k of keys.slice(1)) await store.put(k, Buffer.alloc(0), { k });
    assert.ok((await store.get('b/bin')).data.equals(bin));
    assert.is((await store.get('b/empty')).data.length, 0);
    assert.equal((await store.get('b/..')).meta, { k: 'b/..' });
    assert.equal(await collect(store.list('b/')), [...keys].sort());
  });

  s('list is lexicographic and honours partial prefixes', async ({ store }) => {
    const keys = ['u/a', 'u/a/b', 'u/a-c', 'u/b', 'u/aa', 'v/a', 'u0'];
    for (const k of keys) await store.put(k, Buffer.from(k));
    assert.equal(await collect(store.list('u/')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa', 'u/b']);
    assert.equal(await collect(store.list('u/a')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa']);
    assert.equal(await collect(store.list('u')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa', 'u/b', 'u0']);
    assert.equal(await collect(store.list('')), [...keys].sort());
    assert.equal(await collect(store.list('zzz')), []);
  });

  s('many keys', async ({ store }) => {
    const keys = Array.from({ length: 600 }, (_, i) => `many/m/${String(i * 7919 % 1000).padStart(4, '0')}`);
    await Promise.all(keys.map((k) => store.put(k, Buffer.from(k))));
    const listed = await collect(store.list('many/m/'));
    assert.equal(listed, [...keys].sort());
    assert.is((await store.get(keys[123]!)).data.toString(), keys[123]);
  });

  s('concurrent puts of one key: exactly one wins', async ({ store }) => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.put('race/k', Buffer.from(`writer ${i}`))));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'EXISTS'));
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    assert.is((await store.get('race/k')).data.toString(), `writer ${winner}`);
  });

  s('invalid keys are refused', async ({ store }) => {
    for (const k of ['', 'a\0b']) {
      try {
        await store.put(k, Buffer.from('x'));
        assert.unreachable();
      } catch (err) {
        assert.ok(isStorageError(err, 'INVALID'));
      }
    }
  });

  s.run();
}
