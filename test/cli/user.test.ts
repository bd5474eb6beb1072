import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '../../core/auth/schemes.ts';
import { runColumba } from './run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-cli-'));
const users = join(home, 'users');
const entry = (name: string): string | undefined =>
  readFileSync(users, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));

test('user add with --password, and from stdin; list shows both', async () => {
  const a = await runColumba(['user', 'add', 'alice', '--password', 's3cret', '--scheme', 'SSHA512'], { home });
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stdout, 'user alice added');
  assert.ok(await verifyPassword('s3cret', entry('alice')!.slice('alice:'.length)));
  const b = await runColumba(['user', 'add', 'bob'], { home, stdin: 'from stdin\n' });
  assert.is(b.code, 0, b.stderr);
  assert.match(entry('bob')!, /^bob:\{ARGON2ID\}\$argon2id\$/);
  assert.ok(await verifyPassword('from stdin', entry('bob')!.slice('bob:'.length)));
  const l = await runColumba(['user', 'list'], { home });
  assert.is(l.code, 0);
  assert.is(l.stdout, 'alice\tSSHA512\nbob\tARGON2ID\n');
});

test('user passwd changes the hash; user del removes the line', async () => {
  const p = await runColumba(['user', 'passwd', 'ALICE', '--password', 'n3w', '--scheme', 'SHA512-CRYPT'], { home });
  assert.is(p.code, 0, p.stderr);
  assert.match(entry('alice')!, /^alice:\{SHA512-CRYPT\}\$6\$/);
  assert.ok(await verifyPassword('n3w', entry('alice')!.slice('alice:'.length)));
  const d = await runColumba(['user', 'del', 'bob'], { home });
  assert.is(d.code, 0, d.stderr);
  assert.is(entry('bob'), undefined);
});

test('failures: duplicate user, unknown user, empty password (exit 1)', async () => {
  const dup = await runColumba(['user', 'add', 'alice', '--password', 'x'], { home });
  assert.is(dup.code, 1);
  assert.match(dup.stderr, 'already exists');
  const none = await runColumba(['user', 'del', 'zed'], { home });
  assert.is(none.code, 1);
  assert.match(none.stderr, 'no such user: zed');
  const empty = await runColumba(['user', 'add', 'carol'], { home, stdin: '' });
  assert.is(empty.code, 1);
  assert.match(empty.stderr, 'empty password');
});

test('usage errors exit 2 and name the culprit', async () => {
  const flag = await runColumba(['user', 'add', 'carol', '--passwrd', 'x'], { home });
  assert.is(flag.code, 2);
  assert.match(flag.stderr, "unknown option '--passwrd'");
  const scheme = await runColumba(['user', 'add', 'carol', '--password', 'x', '--scheme', 'MD5'], { home });
  assert.is(scheme.code, 2);
  assert.match(scheme.stderr, 'MD5');
  const missing = await runColumba(['user', 'add'], { home });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, "missing required argument 'name'");
  const cmd = await runColumba(['usr', 'list'], { home });
  assert.is(cmd.code, 2);
  assert.match(cmd.stderr, "unknown command 'usr'");
  const group = await runColumba(['user'], { home });
  assert.is(group.code, 2);
  assert.not.ok(existsSync(join(home, 'users.carol')));
});

test('--config is honoured: passwdFile from the given file', async () => {
  const cfg = join(home, 'other.yaml');
  writeFileSync(cfg, 'auth:\n  passwdFile: other-users\n  defaultScheme: SSHA512\n');
  const r = await runColumba(['user', 'add', 'dave', '--password', 'd', '--config', cfg], { home });
  assert.is(r.code, 0, r.stderr);
  assert.match(readFileSync(join(home, 'other-users'), 'utf8'), /^dave:\{SSHA512\}/);
  assert.is(entry('dave'), undefined);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
