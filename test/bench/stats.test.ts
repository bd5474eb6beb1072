/** The load runner's clock and warm-up barrier (no timing assertions: order and counts only). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Barrier, Budget, LoadStats, runClients } from '../../bench/load/stats.ts';

test('a barrier opens when the last party arrives, not before', async () => {
  const b = new Barrier(3);
  let open = false;
  void b.passed.then(() => (open = true));
  void b.arrive();
  void b.arrive();
  await Promise.resolve();
  assert.is(open, false);
  await b.arrive();
  assert.is(open, true);
  await new Barrier(0).passed; // nobody to wait for
});

test('a deferred budget is never over before start, and counts ops from the stats it starts with', () => {
  const warm = new LoadStats('warm');
  const run = new LoadStats('run');
  const budget = new Budget(60, 2, warm, { deferred: true });
  for (let i = 0; i < 5; i++) warm.record('X', 10);
  assert.is(budget.over, false);
  budget.start(run);
  assert.is(budget.over, false);
  run.record('X', 10);
  run.record('X', 10);
  assert.is(budget.over, true);
});

test('runClients reports seconds from the budget start and passes each client its index', async () => {
  const stats = new LoadStats('t');
  const budget = new Budget(60, 4, stats, { deferred: true });
  const seen = new Set<number>();
  const gate = new Barrier(2);
  void gate.passed.then(() => budget.start(stats));
  const res = await runClients({ host: '127.0.0.1', port: 1, users: [{ name: 'u', password: 'p' }], clients: 2, seconds: 60, seed: 1 }, stats, budget, async (_rng, _user, i) => {
    seen.add(i);
    await gate.arrive();
    stats.record('X', 5);
  });
  assert.equal([...seen].sort(), [0, 1]);
  assert.ok(res.ops >= 4);
  assert.ok(res.seconds >= 0 && res.seconds < 60);
});

test.run();
