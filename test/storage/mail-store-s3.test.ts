/** The mail store on the S3 driver (s3rver), with and without fscache: state survives a restart. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createS3Store } from '../../core/storage/drivers/s3.ts';
import { createFsCache } from '../../core/storage/drivers/fscache.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { msg, tempHome, testConfig } from './helpers.ts';
import { createBucket, startS3rver } from './s3rver-process.ts';

for (const cached of [false, true]) {
  test(`messages, flags and mailboxes survive a restart (fscache: ${cached})`, async () => {
    const server = await startS3rver(`mail-${cached ? 'cached' : 'plain'}`);
    const cacheDir = tempHome();
    try {
      await createBucket(server.endpoint, 'other'); // a second bucket must not leak in
      const s3 = (): ObjectStore => {
        const store = createS3Store({
          endpoint: server.endpoint,
          region: 'us-east-1',
          bucket: server.bucket,
          accessKeyId: 'S3RVER',
          secretAccessKey: 'S3RVER',
          forcePathStyle: true,
          maxInFlight: 8,
          retries: 2,
          sortListing: true,
        });
        return cached ? createFsCache(store, { dir: cacheDir, maxBytes: 1 << 20 }) : store;
      };
      const config = testConfig();
      const a = createMailStore({ config, objects: s3() });
      const s = await a.openUser('dora');
      await s.createMailbox('Reisen/Übersee');
      await s.append('Reisen/Übersee', msg('far away'), { flags: ['$Label1'] });
      await s.append('INBOX', msg('hello'));
      await s.release();
      await a.close();

      // A different home: no local metacache, everything comes from the bucket.
      const config2 = testConfig();
      const b = createMailStore({ config: config2, objects: s3() });
      const s2 = await b.openUser('dora');
      assert.equal((await s2.listMailboxes()).map((m) => m.name).filter((n) => n.startsWith('Reisen')), ['Reisen', 'Reisen/Übersee']);
      const v = await s2.openMailbox('Reisen/Übersee', { readOnly: true });
      assert.equal(v.meta(1).flags, ['$Label1']);
      assert.ok((await v.read(1)).toString().includes('Subject: far away'));
      await v.close();
      assert.is((await s2.status('INBOX')).messages, 1);
      await s2.release();
      await b.close();
      for (const c of [config, config2]) rmSync(c.home, { recursive: true, force: true });
    } finally {
      await server.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
}

test.run();
