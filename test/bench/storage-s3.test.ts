/** Smoke run of the storage bench (bench/storage/s3-run.ts): tiny, so it never rots. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markdown, runStorageBench } from '../../bench/storage/s3-run.ts';

test('storage bench: every phase runs and reports requests per operation', async () => {
  const { report, md } = await runStorageBench({ users: 1, messages: 3, concurrency: 1, size: 512, out: '/nonexistent' });
  assert.equal(
    report.phases.map((p) => p.name.split(' (')[0]),
    ['lmtp delivery', 'warm login to first FETCH', 'login to first FETCH', 'cold login to first FETCH', 'cold FETCH BODY.PEEK[]', 'lmtp delivery'],
  );
  const delivery = report.phases[0]!;
  assert.is(delivery.operations, 3);
  assert.is(delivery.requests['put:message'], 1, 'one message PUT per delivery');
  const cold = report.phases[3]!;
  const lists = Object.entries(cold.requests).filter(([k]) => k.startsWith('list:')).reduce((a, [, v]) => a + v, 0);
  assert.ok(lists >= 1 && lists <= 3, `LISTs at a cold login: ${lists}`);
  assert.ok((cold.requests['get:index'] ?? 0) >= 1, 'the index came from the object store');
  assert.is(report.phases[4]!.requests['get:message'], 1, 'a cold FETCH is one GET');
  assert.ok(report.phases.every((p) => p.perSecond > 0));
  assert.ok(md.includes('| cold login to first FETCH (empty metacache) | 1 |'));
  assert.is(markdown(report), md);
});

test.run();
