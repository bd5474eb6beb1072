import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeBase64Strict,
  decodeSaslPlain,
  createSaslExchange,
  LOGIN_USERNAME_CHALLENGE,
  LOGIN_PASSWORD_CHALLENGE,
} from '../../core/auth/sasl.ts';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

test('strict base64', () => {
  assert.is(decodeBase64Strict('aGVsbG8=')?.toString(), 'hello');
  assert.is(decodeBase64Strict('=')?.length, 0);
  assert.is(decodeBase64Strict('aGVsbG8'), null); // missing padding
  assert.is(decodeBase64Strict('aGV*bG8='), null);
  assert.is(decodeBase64Strict('aGVs bG8='), null);
  assert.is(decodeBase64Strict('a==='), null);
});

test('PLAIN: empty authzid and authzid equal to authcid accepted', () => {
  const a = decodeSaslPlain(b64('\0tim\0tanstaaftanstaaf'));
  assert.equal(a, { ok: true, authzid: '', user: 'tim', password: 'tanstaaftanstaaf' });
  const b = decodeSaslPlain(b64('tim\0tim\0pw'));
  assert.equal(b, { ok: true, authzid: 'tim', user: 'tim', password: 'pw' });
});

test('PLAIN: refusals', () => {
  assert.equal(decodeSaslPlain(b64('admin\0tim\0pw')), { ok: false, reason: 'authzid-mismatch' });
  assert.equal(decodeSaslPlain(b64('tim\0pw')), { ok: false, reason: 'bad-format' });
  assert.equal(decodeSaslPlain(b64('\0tim\0p\0w')), { ok: false, reason: 'bad-format' });
  assert.equal(decodeSaslPlain(b64('\0\0pw')), { ok: false, reason: 'empty-user' });
  assert.equal(decodeSaslPlain(b64('\0tim\0')), { ok: false, reason: 'empty-password' });
  assert.equal(decodeSaslPlain('!!!'), { ok: false, reason: 'bad-base64' });
  assert.equal(decodeSaslPlain('*'), { ok: false, reason: 'cancelled' });
  assert.equal(decodeSaslPlain(b64(Buffer.from([0, 0x74, 0, 0xff, 0xfe]))), { ok: false, reason: 'bad-utf8' });
  assert.equal(decodeSaslPlain('='), { ok: false, reason: 'bad-format' });
});

test('PLAIN exchange without and with initial response', () => {
  const x = createSaslExchange('plain')!;
  assert.equal(x.start(null), { kind: 'challenge', challenge: '' });
  assert.equal(x.next(b64('\0u\0p')), { kind: 'done', credentials: { user: 'u', password: 'p' } });
  const y = createSaslExchange('PLAIN')!;
  assert.equal(y.start(b64('\0u\0p')), { kind: 'done', credentials: { user: 'u', password: 'p' } });
});

test('LOGIN exchange', () => {
  assert.is(LOGIN_USERNAME_CHALLENGE, 'VXNlcm5hbWU6');
  assert.is(LOGIN_PASSWORD_CHALLENGE, 'UGFzc3dvcmQ6');
  const x = createSaslExchange('LOGIN')!;
  assert.equal(x.start(), { kind: 'challenge', challenge: 'VXNlcm5hbWU6' });
  assert.equal(x.next(b64('tim')), { kind: 'challenge', challenge: 'UGFzc3dvcmQ6' });
  assert.equal(x.next(b64('sëcret')), { kind: 'done', credentials: { user: 'tim', password: 'sëcret' } });
  const y = createSaslExchange('LOGIN')!;
  assert.equal(y.start(b64('tim')), { kind: 'challenge', challenge: 'UGFzc3dvcmQ6' });
  assert.equal(y.next('*'), { kind: 'error', reason: 'cancelled' });
  const z = createSaslExchange('LOGIN')!;
  z.start();
  assert.equal(z.next('bad base64!'), { kind: 'error', reason: 'bad-base64' });
  const w = createSaslExchange('LOGIN')!;
  w.start();
  assert.equal(w.next(b64('a\0b')), { kind: 'error', reason: 'bad-format' });
  assert.is(createSaslExchange('CRAM-MD5'), null);
});

test.run();
