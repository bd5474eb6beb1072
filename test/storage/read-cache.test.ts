/** MessageReadCache: one byte budget across users, LRU, per-user drop, copies out; and in a provider. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageReadCache } from '../../core/storage/read-cache.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { msg, testConfig } from './helpers.ts';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

test('one budget for all users: the least recently used entry goes first, whoever it belongs to', () => {
  const c = new MessageReadCache(300, 200);
  c.put('ann', 'g1', bytes(100, 1));
  c.put('bob', 'g2', bytes(100, 2));
  assert.ok(c.get('ann', 'g1'), 'refreshes ann/g1');
  c.put('bob', 'g3', bytes(100, 3));
  assert.is(c.bytes, 300);
  c.put('cy', 'g4', bytes(100, 4)); // over budget: bob/g2 is the oldest now
  assert.is(c.bytes, 300);
  assert.is(c.get('bob', 'g2'), null);
  assert.ok(c.get('ann', 'g1'));
  assert.ok(c.get('bob', 'g3'));
  assert.ok(c.get('cy', 'g4'));
});

test('large messages are not kept; the same GUID of two users is two entries; a get is a copy', () => {
  const c = new MessageReadCache(1000, 200);
  c.put('ann', 'g', bytes(201, 9));
  assert.is(c.get('ann', 'g'), null, 'over itemMaxBytes');
  c.put('ann', 'g', bytes(10, 1));
  c.put('bob', 'g', bytes(10, 2));
  assert.is(c.get('ann', 'g')![0], 1);
  assert.is(c.get('bob', 'g')![0], 2);
  const out = c.get('ann', 'g')!;
  out[0] = 77;
  assert.is(c.get('ann', 'g')![0], 1, 'writing into a result does not change the cache');
  c.put('ann', 'g', bytes(20, 3)); // replacing counts the new size only
  assert.is(c.bytes, 30);
});

test('dropUser forgets one user and frees its bytes', () => {
  const c = new MessageReadCache(1000);
  c.put('ann', 'a1', bytes(50, 1));
  c.put('ann', 'a2', bytes(50, 1));
  c.put('bob', 'b1', bytes(50, 2));
  c.dropUser('ann');
  assert.is(c.bytes, 50);
  assert.is(c.get('ann', 'a1'), null);
  assert.ok(c.get('bob', 'b1'));
  c.dropUser('nobody'); // no entries: nothing happens
  assert.is(c.bytes, 50);
});

test('in a provider: a small storage.readCacheBytes still answers every read correctly', async () => {
  const config = testConfig({ storage: { readCacheBytes: 4096 } as never });
  const provider = createMailStore({ config, objects: createMemoryStore() });
  const users = ['dee', 'eve'];
  const stores = await Promise.all(users.map((u) => provider.openUser(u)));
  for (const [i, s] of stores.entries()) for (let n = 0; n < 20; n++) await s.append('INBOX', msg(`${users[i]} ${n}`, 'x'.repeat(900)));
  for (let round = 0; round < 2; round++) {
    for (const [i, s] of stores.entries()) {
      const v = await s.openMailbox('INBOX', { readOnly: true });
      for (let seq = 1; seq <= 20; seq++) assert.ok((await v.read(seq)).toString().includes(`Subject: ${users[i]} ${seq - 1}`));
      await v.close();
    }
  }
  for (const s of stores) await s.release();
  await provider.close();
});

test.run();
