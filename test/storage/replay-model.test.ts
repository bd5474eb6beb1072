/**
 * Random operations against the durable store with frequent snapshots, failing index uploads,
 * crashes (the provider is abandoned, never closed) and lost metacaches: after every reopen the
 * user's state must be exactly what it was. Seeded, so a failure replays.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createFailingStore } from '../../core/storage/drivers/failing.ts';
import { createMailStore, metacacheDir } from '../../core/storage/mail-store-impl.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { MailStoreProvider, UserMailStore } from '../../core/storage/mail-store.ts';
import { msg, testConfig } from './helpers.ts';
import { rng } from '../wasm/random.ts';


async function dump(store: UserMailStore): Promise<string> {
  const out: unknown[] = [];
  for (const m of await store.listMailboxes()) {
    const row: Record<string, unknown> = { name: m.name, guid: m.guid, noSelect: m.noSelect, sub: m.subscribed, su: m.specialUse };
    if (!m.noSelect) {
      const st = await store.status(m.name);
      const v = await store.openMailbox(m.name, { readOnly: true });
      const msgs = [];
      for (let i = 1; i <= v.count(); i++) {
        const x = v.meta(i);
        msgs.push([x.uid, x.guid, [...x.flags].sort().join(' '), x.modseq, x.size]);
      }
      await v.close();
      Object.assign(row, { uv: st.uidValidity, next: st.uidNext, hm: st.highestModseq, msgs });
    }
    out.push(row);
  }
  return JSON.stringify(out, null, 1);
}

const FLAGS = ['\\Seen', '\\Flagged', '\\Deleted', '\\Answered', 'work', '$Label1'];
const NAMES = ['A', 'A/B', 'C', 'C/D/E', 'F'];

for (const seed of [1, 2, 3]) {
  test(`replay model, seed ${seed}`, async () => {
    const r = rng(seed);
    const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
    const config = testConfig({ storage: { snapshotEveryChanges: 5 } });
    let failIndexPuts = true;
    const fs = createFsStore(join(config.home, 'storage'));
    const fail = rng(seed + 1000); // its own stream: background uploads must not shift the ops
    // Each "process" gets its own handle; a crash makes it dead, as a killed process would be.
    const processObjects = () => {
      let dead = false;
      const objects = createFailingStore(fs, (op, key) =>
        dead ? 'UNAVAILABLE' : failIndexPuts && op === 'put' && key.includes('/i/') && fail() < 0.2 ? 'TEMPORARY' : null,
      );
      return { objects, kill: () => (dead = true) };
    };
    let proc = processObjects();
    let provider: MailStoreProvider = createMailStore({ config, objects: proc.objects, lingerMs: 0 });
    let store = await provider.openUser('model');
    let checks = 0;
    for (let step = 0; step < 250; step++) {
      const boxes = (await store.listMailboxes()).filter((m) => !m.noSelect).map((m) => m.name);
      const roll = r();
      try {
        if (roll < 0.3) {
          await store.append(pick(boxes), msg(`s${step}`), { flags: r() < 0.5 ? [pick(FLAGS)] : [] });
        } else if (roll < 0.55) {
          const v = await store.openMailbox(pick(boxes), { readOnly: false });
          if (v.count() > 0) {
            const uids = [v.uidAt(1 + Math.floor(r() * v.count())), v.uidAt(v.count())];
            await v.store(uids, pick(['add', 'remove', 'replace'] as const), [pick(FLAGS)]);
          }
          await v.close();
        } else if (roll < 0.65) {
          const v = await store.openMailbox(pick(boxes), { readOnly: false });
          await v.expunge();
          await v.close();
        } else if (roll < 0.75) {
          const v = await store.openMailbox(pick(boxes), { readOnly: false });
          if (v.count() > 0) {
            const uids = [v.uidAt(1), v.uidAt(v.count())];
            if (r() < 0.5) await v.copy(uids, pick(boxes));
            else await v.move(uids, pick(boxes));
          }
          await v.close();
        } else if (roll < 0.8) {
          await store.createMailbox(pick(NAMES));
        } else if (roll < 0.84) {
          await store.renameMailbox(pick(boxes), pick(NAMES));
        } else if (roll < 0.87) {
          await store.deleteMailbox(pick(boxes));
        } else if (roll < 0.89) {
          await store.setSubscribed(pick(boxes), r() < 0.5);
        } else if (roll < 0.95) {
          // kill -9: the old provider is abandoned and can reach nothing any more.
          const before = await dump(store);
          proc.kill();
          await new Promise((res) => setTimeout(res, 20));
          proc = processObjects();
          provider = createMailStore({ config, objects: proc.objects, lingerMs: 0 });
          store = await provider.openUser('model');
          assert.fixture(await dump(store), before, `after crash at step ${step}`);
          checks++;
        } else {
          // Clean shutdown, then another backend: only the object store is shared.
          failIndexPuts = false;
          const before = await dump(store);
          await store.release();
          await provider.close();
          rmSync(metacacheDir(config), { recursive: true, force: true });
          failIndexPuts = true;
          proc = processObjects();
          provider = createMailStore({ config, objects: proc.objects, lingerMs: 0 });
          store = await provider.openUser('model');
          assert.fixture(await dump(store), before, `after failover at step ${step}`);
          checks++;
        }
      } catch (err) {
        // Refusals by the rules (exists, not found, invalid) are fine; anything else is a bug.
        if (!isStorageError(err) || !['EXISTS', 'NOT_FOUND', 'INVALID', 'NO_PERMISSION'].includes(err.code)) throw err;
      }
    }
    assert.ok(checks > 5, `only ${checks} reopen checks ran`);
    await store.release();
    await provider.close();
  });
}

test.run();
