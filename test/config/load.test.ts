import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, buildConfig, ConfigError, parseConfigText } from '../../core/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'columba-config-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.instance(err, ConfigError);
    return (err as ConfigError).problems;
  }
  assert.unreachable('expected a ConfigError');
  return [];
}

test('each problem is one line naming the key, the expectation and the value found', () => {
  const p = file(
    'bad.yaml',
    'listen:\n  imap: abc\n  imapp: 3\nlimits:\n  imapLineLength: -1\n  connectionsPerIp: 1.5\nauth:\n  defaultScheme: MD5\n  disablePlaintextAuth: "yes"\nlog: 5\nbogus: 1\n',
  );
  const lines = problems(() => loadConfig(p));
  const expected = [
    'listen.imap: expected a port number 0-65535, got "abc"',
    'listen.imapp: unknown key',
    'limits.imapLineLength: expected a byte count (an integer >= 0), got -1',
    'limits.connectionsPerIp: expected an integer >= 1, got 1.5',
    'auth.defaultScheme: expected one of "ARGON2ID", "SHA512-CRYPT", "SSHA512", got "MD5"',
    'auth.disablePlaintextAuth: expected a boolean, got "yes"',
    'log: expected a mapping, got 5',
    'bogus: unknown key',
  ];
  for (const e of expected) assert.ok(lines.includes(e), `missing: ${e}\nin:\n${lines.join('\n')}`);
  assert.is(lines.length, expected.length);
});

test('port out of range and roles enum', () => {
  const lines = problems(() => buildConfig({ listen: { pop3: 70000 }, roles: ['all', 'mta'] }));
  assert.ok(lines.includes('listen.pop3: expected a port number 0-65535, got 70000'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('roles.1: expected one of "all", "backend", "proxy", "director", got "mta"')), lines.join('\n'));
});

test('YAML syntax errors name line and column; a non-mapping top level is refused', () => {
  const lines = problems(() => parseConfigText('listen:\n  imap: [1, 2\n', 'x.yaml'));
  assert.match(lines[0]!, /^line \d+, column \d+: /);
  assert.equal(problems(() => parseConfigText('- a\n- b\n', 'x.yaml')), ['(top level): expected a mapping, got a list']);
  assert.equal(parseConfigText('', 'x.yaml'), {});
});

test('missing file is one readable problem', () => {
  assert.equal(problems(() => loadConfig(join(dir, 'nope.yaml'))), [`cannot read ${join(dir, 'nope.yaml')}: no such file`]);
});

test('relative paths resolve against home; home against the file folder; null defaults filled', () => {
  const p = file('ok.yaml', 'home: data\nauth:\n  passwdFile: etc/users\ntls:\n  cert: /abs/cert.pem\n  key: k.pem\n');
  const c = loadConfig(p);
  assert.is(c.home, join(dir, 'data'));
  assert.is(c.auth.passwdFile, join(dir, 'data', 'etc', 'users'));
  assert.is(c.storage.fsRoot, join(dir, 'data', 'storage'));
  assert.is(c.storage.metacache, join(dir, 'data', 'metacache'));
  assert.is(c.tls.cert, '/abs/cert.pem');
  assert.is(c.tls.key, join(dir, 'data', 'k.pem'));
  assert.is(buildConfig({}).tls.cert, null);
});

test('COLUMBA_HOME sets home when the file does not; overrides merge deeply; result is frozen', () => {
  const c = buildConfig({ listen: { imap: 0 } }, { env: { COLUMBA_HOME: join(dir, 'h') } });
  assert.is(c.home, join(dir, 'h'));
  assert.is(c.auth.passwdFile, join(dir, 'h', 'users'));
  const p = file('partial.yaml', 'listen:\n  imap: 1144\n');
  const d = loadConfig(p, { listen: { pop3: null } });
  assert.is(d.listen.imap, 1144);
  assert.is(d.listen.pop3, null);
  assert.is(d.listen.imaps, 1993);
  assert.ok(Object.isFrozen(d.listen));
  assert.throws(() => {
    (d.listen as { imap: number }).imap = 1;
  });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
