/** sweepSuperseded on a memory store: what goes (past the grace, no head needs it) and in what order. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeRootBundle, type RootBundle } from '../../core/index/bundle.ts';
import { diffKeyFor } from '../../core/index/heads.ts';
import { sweepSuperseded } from '../../core/index/superseded-sweep.ts';
import { UserIndex } from '../../core/index/user-index.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { decodeRootBundle } from '../../core/index/bundle.ts';
import { indexPrefix } from '../../core/storage/keys.ts';

const U = 'sam';
const rootAt = (ts: number) => `${indexPrefix(U, 'root')}bundle.${String(ts).padStart(15, '0')}.aaaaaaaaaaaa`;
const bundleAt = (mb: string, ts: number) => `${indexPrefix(U, mb)}bundle.${String(ts).padStart(15, '0')}.bbbbbbbbbbbb`;
const diffOf = (base: string, ts: number, w: string) => diffKeyFor(base, String(ts).padStart(15, '0'), 'cccccccccccc', w);

async function setup() {
  const objects = createMemoryStore();
  const root = (bundles: Record<string, string>, parents: string[]): Buffer =>
    encodeRootBundle({ v: 1, gen: 1, root: new UserIndex().rootState(), bundles, parents, writer: 't' } as RootBundle);
  const shared = bundleAt('mb1', 100); // inherited by r1
  const onlyOld = bundleAt('mb2', 100);
  const fresh = bundleAt('mb2', 200);
  const r0 = rootAt(100);
  const r1 = rootAt(200);
  await objects.put(shared, Buffer.from('x'));
  await objects.put(onlyOld, Buffer.from('x'));
  await objects.put(fresh, Buffer.from('x'));
  await objects.put(r0, root({ mb1: shared, mb2: onlyOld }, []));
  await objects.put(r1, root({ mb1: shared, mb2: fresh }, [r0]));
  const orphan = diffOf(rootAt(50), 60, 'B'); // its base is long gone
  await objects.put(orphan, Buffer.from('x'));
  return { objects, r0, r1, shared, onlyOld, fresh, orphan };
}

async function all(objects: ReturnType<typeof createMemoryStore>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of objects.list('')) out.push(k);
  return out.sort();
}

function deps(objects: ReturnType<typeof createMemoryStore>, now: number, graceMs: number) {
  return {
    rootPrefix: indexPrefix(U, 'root'),
    list: (p: string) => objects.list(p),
    readRoot: async (k: string) => decodeRootBundle((await objects.get(k)).data),
    remove: async (k: string) => (await objects.delete(k), true),
    now, graceMs,
  };
}

test('within the grace the old base stays (the orphan diff, 60 + 1000, is past its own); next due: supersession + grace', async () => {
  const s = await setup();
  const r = await sweepSuperseded(deps(s.objects, 200 + 999, 1000));
  assert.equal(r.deleted, [s.orphan]);
  assert.equal(r.bundles, []);
  assert.is(r.nextDue, 200 + 1000);
  assert.ok((await all(s.objects)).includes(s.r0));
});

test('past the grace: the old root, the bundle only it names and the orphan diff go; shared bundles stay', async () => {
  const s = await setup();
  const r = await sweepSuperseded(deps(s.objects, 5000, 1000));
  assert.equal(r.deleted, [s.orphan, s.r0].sort());
  assert.equal(r.bundles, [s.onlyOld]);
  assert.equal(await all(s.objects), [s.shared, s.fresh, s.r1].sort());
  assert.is(r.nextDue, null);
});

test('a diff written against the old base keeps it (and its bundles), whatever the grace', async () => {
  const s = await setup();
  await s.objects.put(diffOf(s.r0, 300, 'B'), Buffer.from('x'));
  const r = await sweepSuperseded(deps(s.objects, 1e9, 0));
  assert.equal(r.deleted, [s.orphan]);
  assert.ok((await all(s.objects)).includes(s.onlyOld));
});

test.run();
