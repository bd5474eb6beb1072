/** The bench's Columba config: --columba-config layers merge into the bench's own sections. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { benchConfigYaml, layerConfig } from '../../bench/load/bench-config.ts';
import { configSchema } from '../../core/config/schema.ts';

const base = { home: '/tmp/h', auth: { passwdFile: '/tmp/h/users', failureDelayMs: 0 }, listen: { host: '127.0.0.1', imap: 0 } };

test('a layer naming a section the bench sets adds to it (this was a duplicate key before)', () => {
  const yaml = benchConfigYaml(base, ['auth:\n  hashThreads: 3\n', 'limits:\n  connectionsPerUser: 9\n', '']);
  const tree = parse(yaml);
  assert.equal(tree.auth, { passwdFile: '/tmp/h/users', failureDelayMs: 0, hashThreads: 3 });
  assert.equal(tree.limits, { connectionsPerUser: 9 });
  // What the server will read: valid, with the layered values.
  const config = configSchema.parse(tree);
  assert.is(config.auth.hashThreads, 3);
  assert.is(config.auth.failureDelayMs, 0);
});

test('later layers win on scalars and replace lists; a layer that is not a map is refused', () => {
  const t = layerConfig({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [3] }, d: { e: 1 } });
  assert.equal(t, { a: { b: 2, c: [3] }, d: { e: 1 } });
  assert.throws(() => benchConfigYaml(base, ['- just\n- a list\n']), /not a YAML map/);
  assert.throws(() => benchConfigYaml(base, ['auth: [\n']));
});

test.run();
