/** The whole tree typechecks under strict TypeScript (tsc --noEmit); a type error fails the suite. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';

test('tsc --noEmit reports no errors', () => {
  const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const root = new URL('../..', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test.run();
