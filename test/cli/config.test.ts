import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runColumba } from './run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-cli-config-'));

test('config check: ok file exits 0, bad file exits 1 listing each problem', async () => {
  const good = join(home, 'good.yaml');
  writeFileSync(good, 'listen:\n  imap: 143\n');
  const ok = await runColumba(['config', 'check', good], { home });
  assert.is(ok.code, 0, ok.stderr);
  assert.is(ok.stdout, `${good}: ok\n`);
  const bad = join(home, 'bad.yaml');
  writeFileSync(bad, 'listen:\n  imap: abc\n  imapp: 1\n');
  const r = await runColumba(['config', 'check', bad], { home });
  assert.is(r.code, 1);
  assert.match(r.stderr, 'listen.imap: expected a port number 0-65535, got "abc"');
  assert.match(r.stderr, 'listen.imapp: unknown key');
});

test('config show prints the effective configuration as YAML', async () => {
  const r = await runColumba(['config', 'show'], { home });
  assert.is(r.code, 0, r.stderr);
  const shown = parse(r.stdout);
  assert.is(shown.home, home);
  assert.is(shown.auth.passwdFile, join(home, 'users'));
  assert.is(shown.listen.imap, 1143);
  const f = join(home, 'c.yaml');
  writeFileSync(f, 'listen:\n  pop3: null\n');
  const s = await runColumba(['config', 'show', '--config', f], { home });
  assert.is(parse(s.stdout).listen.pop3, null);
  // COLUMBA_HOME/columba.yaml is read when no --config is given.
  writeFileSync(join(home, 'columba.yaml'), 'log:\n  level: debug\n');
  const h = await runColumba(['config', 'show'], { home });
  assert.is(parse(h.stdout).log.level, 'debug');
});

test('mailbox rebuild: runs, or says clearly that it is not available', async () => {
  const r = await runColumba(['mailbox', 'rebuild', 'alice'], { home });
  if (r.code === 0) assert.match(r.stdout, 'rebuilt alice');
  else {
    assert.is(r.code, 1);
    assert.match(r.stderr, 'not available');
  }
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
