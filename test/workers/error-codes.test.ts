/** Every stable error code of the workers and kernels is listed in docs/workers-and-wasm.md. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { WORKER_ERROR_CODES } from '../../workers/protocol.ts';
import { KernelLoadError } from '../../core/text/wasm-instance.ts';

const doc = readFileSync(new URL('../../docs/workers-and-wasm.md', import.meta.url), 'utf8');

test('each code has a row in the error table', () => {
  const codes = [...WORKER_ERROR_CODES, new KernelLoadError('x').code];
  for (const code of codes) assert.ok(doc.includes(`| \`${code}\` |`), `${code} missing from docs/workers-and-wasm.md`);
});

test('the table lists no code that does not exist', () => {
  const listed = [...doc.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  const known = new Set<string>([...WORKER_ERROR_CODES, 'ERR_KERNELS_LOAD']);
  for (const code of listed) assert.ok(known.has(code!), `${code} is documented but not defined`);
});

test.run();
