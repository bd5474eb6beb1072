/**
 * Exact bytes of the response writers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  atom,
  compactSeqSet,
  continuation,
  fetchResponse,
  flagList,
  formatDateTime,
  formatSeqSet,
  serializeMailbox,
  serializeString,
  serializeValue,
  tagged,
  untagged,
  untaggedStatus,
  MAX_QUOTED_LENGTH,
} from '../../protocols/imap/wire/index.ts';

const s = (b: Buffer) => b.toString('latin1');

test('NIL, numbers, quoted strings, escapes', () => {
  assert.is(s(serializeValue(null)), 'NIL');
  assert.is(s(serializeValue(0)), '0');
  assert.is(s(serializeValue(4294967295)), '4294967295');
  assert.is(s(serializeValue('')), '""');
  assert.is(s(serializeValue('hello world')), '"hello world"');
  assert.is(s(serializeValue('say "hi" \\o/')), '"say \\"hi\\" \\\\o/"');
  assert.is(s(serializeValue('NIL')), '"NIL"'); // a string, not NIL
  assert.is(s(serializeValue('tab\there')), '"tab\there"');
});

test('literals for CR, LF, NUL, 8-bit and long strings', () => {
  assert.is(s(serializeValue('a\r\nb')), '{4}\r\na\r\nb');
  assert.is(s(serializeValue('a\nb')), '{3}\r\na\nb');
  assert.is(s(serializeValue('a\x00b')), '{3}\r\na\x00b');
  assert.is(s(serializeValue('grüße')), '{7}\r\ngr\xc3\xbc\xc3\x9fe');
  assert.is(s(serializeValue('x'.repeat(MAX_QUOTED_LENGTH))), '"' + 'x'.repeat(MAX_QUOTED_LENGTH) + '"');
  assert.is(s(serializeValue('x'.repeat(MAX_QUOTED_LENGTH + 1))), `{${MAX_QUOTED_LENGTH + 1}}\r\n` + 'x'.repeat(MAX_QUOTED_LENGTH + 1));
  assert.is(s(serializeValue(Buffer.from('raw'))), '"raw"');
  assert.is(s(serializeValue(Buffer.from([0x41, 0xe4]))), '{2}\r\nA\xe4');
});

test('UTF8=ACCEPT lets UTF-8 strings be quoted (not arbitrary bytes)', () => {
  assert.is(s(serializeString('grüße', { utf8: true })), '"gr\xc3\xbc\xc3\x9fe"');
  assert.is(s(serializeString(Buffer.from([0xe4]), { utf8: true })), '{1}\r\n\xe4');
  assert.is(s(serializeString('a\r\n', { utf8: true })), '{3}\r\na\r\n');
});

test('nested lists (ENVELOPE-like) and atoms', () => {
  const envelope = ['Mon, 7 Feb 1994 21:52:25 -0800', 'afternoon meeting', [['Terry Gray', null, 'gray', 'cac.washington.edu']], null];
  assert.is(
    s(serializeValue(envelope)),
    '("Mon, 7 Feb 1994 21:52:25 -0800" "afternoon meeting" (("Terry Gray" NIL "gray" "cac.washington.edu")) NIL)',
  );
  assert.is(s(serializeValue([])), '()');
  assert.is(s(serializeValue([atom('\\Seen'), atom('$Junk')])), '(\\Seen $Junk)');
});

test('flag lists', () => {
  assert.is(flagList([]), '()');
  assert.is(flagList(['\\Seen', '\\Answered', '$Label1']), '(\\Seen \\Answered $Label1)');
});

test('tagged, untagged and continuation lines', () => {
  assert.is(s(tagged('A1', 'OK', 'SELECT completed', 'READ-WRITE')), 'A1 OK [READ-WRITE] SELECT completed\r\n');
  assert.is(s(tagged('A2', 'NO', 'No such mailbox', 'NONEXISTENT')), 'A2 NO [NONEXISTENT] No such mailbox\r\n');
  assert.is(s(tagged('A3', 'BAD', 'Unknown command')), 'A3 BAD Unknown command\r\n');
  assert.is(s(tagged('A4', 'OK', 'done', null)), 'A4 OK done\r\n');
  assert.is(s(untaggedStatus('OK', 'UIDs valid', 'UIDVALIDITY 3857529045')), '* OK [UIDVALIDITY 3857529045] UIDs valid\r\n');
  assert.is(s(untaggedStatus('BYE', 'Logging out')), '* BYE Logging out\r\n');
  assert.is(s(untagged('172 EXISTS')), '* 172 EXISTS\r\n');
  assert.is(s(untagged(Buffer.from('1 RECENT'))), '* 1 RECENT\r\n');
  assert.is(s(untagged([atom('SEARCH'), 2, 84, 882])), '* SEARCH 2 84 882\r\n');
  assert.is(
    s(untagged([atom('LIST'), [atom('\\HasNoChildren')], '/', 'Entw&APw-rfe'])),
    '* LIST (\\HasNoChildren) "/" "Entw&APw-rfe"\r\n',
  );
  assert.is(s(continuation()), '+ Ready for literal data\r\n');
  assert.is(s(continuation('idling')), '+ idling\r\n');
});

test('FETCH responses with literals', () => {
  const body = Buffer.from('Subject: x\r\n\r\nhi\r\n');
  assert.is(
    s(
      fetchResponse(12, [
        ['UID', 7],
        ['FLAGS', atom(flagList(['\\Seen']))],
        ['INTERNALDATE', formatDateTime(Date.UTC(1996, 6, 17, 9, 44, 25), -420)],
        ['BODY[]<0>', body],
      ]),
    ),
    '* 12 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" BODY[]<0> {18}\r\nSubject: x\r\n\r\nhi\r\n)\r\n',
  );
  assert.is(s(fetchResponse(1, [['MODSEQ', [atom('624140003')]]])), '* 1 FETCH (MODSEQ (624140003))\r\n');
});

test('date-time formatting', () => {
  assert.is(formatDateTime(new Date(Date.UTC(1996, 6, 17, 9, 44, 25)), -420), '17-Jul-1996 02:44:25 -0700');
  assert.is(formatDateTime(Date.UTC(2024, 0, 5, 0, 0, 0)), '05-Jan-2024 00:00:00 +0000');
  assert.is(formatDateTime(Date.UTC(2023, 11, 31, 23, 30, 0), 90), '01-Jan-2024 01:00:00 +0130');
  assert.is(formatDateTime(Date.UTC(2024, 1, 29, 3, 4, 5), -330), '28-Feb-2024 21:34:05 -0530');
});

test('sequence set compaction keeps order (COPYUID pairs by position)', () => {
  assert.is(compactSeqSet([]), '');
  assert.is(compactSeqSet([5]), '5');
  assert.is(compactSeqSet([1, 2, 3, 5]), '1:3,5');
  assert.is(compactSeqSet([1, 2, 3, 5, 6, 9]), '1:3,5:6,9');
  assert.is(compactSeqSet([9, 3, 4, 1]), '9,3:4,1');
  assert.is(formatSeqSet([{ start: 1, end: 3 }, { start: 5, end: 5 }, { start: 7, end: '*' }]), '1:3,5,7:*');
});

test('mailbox names are modified UTF-7 on the wire unless UTF8=ACCEPT', () => {
  assert.is(s(serializeMailbox('INBOX')), '"INBOX"');
  assert.is(s(serializeMailbox('Entwürfe')), '"Entw&APw-rfe"');
  assert.is(s(serializeMailbox('A&B')), '"A&-B"');
  assert.is(s(serializeMailbox('Entwürfe', { utf8: true })), '"Entw\xc3\xbcrfe"');
});

test.run();
