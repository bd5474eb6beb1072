/** IMAP URLs for CATENATE (RFC 5092, RFC 5550 ;PARTIAL=): accepted forms and bad input. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPartial } from '../../protocols/imap/catenate.ts';
import { badUrlText, parseImapUrl, parseUrlSection, percentDecode } from '../../protocols/imap/imap-url.ts';

const ctx = { hostname: 'mail.example.org', user: 'alice' };

test('absolute path with UIDVALIDITY, UID, SECTION (RFC 4469 appendix A)', () => {
  assert.equal(parseImapUrl('/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME', ctx), {
    mailbox: 'Drafts',
    uidValidity: 385759045,
    uid: 20,
    section: { part: [1], kind: 'MIME' },
    partial: null,
  });
});

test('relative to the selected mailbox; PARTIAL with and without a length', () => {
  assert.equal(parseImapUrl(';UID=5/;PARTIAL=10', ctx), {
    mailbox: null,
    uidValidity: null,
    uid: 5,
    section: { part: [], kind: '' },
    partial: { offset: 10, length: null },
  });
  assert.equal(parseImapUrl('/INBOX/;UID=5/;SECTION=TEXT/;PARTIAL=0.1024', ctx)?.partial, { offset: 0, length: 1024 });
});

test('absolute URL naming this server and user; any case of scheme, host and keywords', () => {
  const u = parseImapUrl('IMAP://alice;AUTH=*@MAIL.example.org:993/inbox;uidvalidity=7/;uid=3', ctx);
  assert.equal(u?.mailbox, 'INBOX');
  assert.equal(u?.uidValidity, 7);
  assert.ok(parseImapUrl('imap://mail.example.org/INBOX/;UID=3', ctx));
});

test('mailbox names: percent-encoded UTF-8, or modified UTF-7 when ASCII', () => {
  assert.equal(parseImapUrl('/Entw%C3%BCrfe/;UID=1', ctx)?.mailbox, 'Entwürfe');
  assert.equal(parseImapUrl('/Entw&APw-rfe/;UID=1', ctx)?.mailbox, 'Entwürfe');
  assert.equal(parseImapUrl('/a%2Fb/;UID=1', ctx)?.mailbox, 'a/b');
});

test('bad input is null (BADURL), never an exception', () => {
  const bad = [
    '',
    'INBOX/;UID=1',
    '//host/INBOX/;UID=1',
    'http://mail.example.org/INBOX/;UID=1',
    'imap://other.example.org/INBOX/;UID=1',
    'imap://bob@mail.example.org/INBOX/;UID=1',
    'imap://alice;AUTH=@mail.example.org/INBOX/;UID=1',
    'imap://mail.example.org',
    '/INBOX',
    '/INBOX;UIDVALIDITY=0/;UID=1',
    '/INBOX;UIDVALIDITY=x/;UID=1',
    '/INBOX/;UID=0',
    '/INBOX/;UID=-1',
    '/INBOX/;UID=4294967296',
    '/INBOX/;UID=1x',
    '/INBOX/;UID=',
    '/INBOX/;SECTION=1',
    '/INBOX/;SECTION=1/;UID=1',
    '/INBOX/;UID=1/;UID=2',
    '/INBOX/;UID=1/;SECTION=0',
    '/INBOX/;UID=1/;SECTION=1.',
    '/INBOX/;UID=1/;SECTION=MIME',
    '/INBOX/;UID=1/;SECTION=BODY',
    '/INBOX/;UID=1/;SECTION=HEADER.FIELDS',
    '/INBOX/;UID=1/;SECTION=TEXT%20(a)',
    '/INBOX/;UID=1/;SECTION=%',
    '/INBOX/;UID=1/;PARTIAL=',
    '/INBOX/;UID=1/;PARTIAL=1.0',
    '/INBOX/;UID=1/;PARTIAL=1.',
    '/INBOX/;UID=1/;PARTIAL=-1',
    '/INBOX/;UID=1/;URLAUTH=anonymous:internal:0123',
    '/INBOX/;UID=1/;EXPIRE=2030-01-01T00:00:00Z',
    '/INBOX?SUBJECT%20x',
    '/IN%ZZBOX/;UID=1',
    '/IN%FFBOX/;UID=1',
    '/IN%00BOX/;UID=1',
    '/&Jjo!/;UID=1',
    '/INBOX/;UID=1 x',
    '/INBOX/;UID=1/',
    ';UIDVALIDITY=1/;UID=1',
    '/' + 'a'.repeat(9000) + '/;UID=1',
  ];
  for (const url of bad) assert.is(parseImapUrl(url, ctx), null, url);
});

test('section text', () => {
  assert.equal(parseUrlSection('2.HEADER.FIELDS (To  From)'), { part: [2], kind: 'HEADER.FIELDS', fields: ['To', 'From'] });
  assert.equal(parseUrlSection('header.fields.not(X)'), { part: [], kind: 'HEADER.FIELDS.NOT', fields: ['X'] });
  assert.equal(parseUrlSection('1.2.3'), { part: [1, 2, 3], kind: '' });
  assert.is(parseUrlSection(''), null);
  assert.is(parseUrlSection('HEADER.FIELDS ()'), null);
  assert.is(parseUrlSection('HEADER.FIELDS (a:b)'), null);
});

test('percent-decoding and the BADURL text', () => {
  assert.is(percentDecode('a%20b%c3%a9'), 'a bé');
  assert.is(percentDecode('%4'), null);
  assert.is(badUrlText('/x]y z\r\n'), '/x%5Dy%20z%0D%0A');
  assert.is(badUrlText('/ü'), '/%C3%BC');
});

test('applyPartial: offset.length, offset only, past the end', () => {
  const data = Buffer.from('0123456789');
  assert.is(applyPartial(data, null).toString(), '0123456789');
  assert.is(applyPartial(data, { offset: 2, length: 3 }).toString(), '234');
  assert.is(applyPartial(data, { offset: 7, length: null }).toString(), '789');
  assert.is(applyPartial(data, { offset: 8, length: 100 }).toString(), '89');
  assert.is(applyPartial(data, { offset: 50, length: 1 }).length, 0);
});

test.run();
