/**
 * BODYSTRUCTURE corner cases, each checked against Dovecot 2.3.19 (`doveadm fetch
 * imap.bodystructure`) and identical to its answer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyStructure } from '../../core/mail/bodystructure.ts';
import { parseMime } from '../../core/mail/mime-parser.ts';
import { imapText } from './helpers.ts';

const cases: [name: string, raw: string, bodystructure: string][] = [
  [
    'top-level message/rfc822',
    'Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nFrom: x@y\r\n\r\nhi\r\n',
    '(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 33 (NIL \"inner\" ((NIL NIL \"x\" \"y\")) ((NIL NIL \"x\" \"y\")) ((NIL NIL \"x\" \"y\")) NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)',
  ],
  [
    'multipart without any boundary line: one empty text/plain child',
    'Content-Type: multipart/mixed; boundary=x\r\n\r\nno parts here\r\n',
    '((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"x\") NIL NIL NIL)',
  ],
  [
    'empty parts; text params without charset get charset us-ascii appended; 8-bit description',
    'Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x\r\nContent-Type: text/plain; format=flowed\r\nContent-Disposition: inline\r\nContent-Language: fr\r\nContent-Description: cafÃ©\r\n\r\n\r\n--x--\r\n',
    '((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"format\" \"flowed\" \"charset\" \"us-ascii\") NIL {5}\r\ncafÃ© \"7bit\" 0 0 NIL (\"inline\" NIL) (\"fr\") NIL) \"mixed\" (\"boundary\" \"x\") NIL NIL NIL)',
  ],
  [
    'RFC 2231 continued boundary, whitespace after delimiters',
    'Content-Type: multipart/mixed;\r\n boundary*0=\"ab\";\r\n boundary*1=\"cd\"\r\n\r\n--abcd   \r\n\r\nx\r\n--abcd--  \r\n',
    '((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"abcd\") NIL NIL NIL)',
  ],
  [
    'bare LF line ends',
    'Subject: lf only\nContent-Type: multipart/mixed; boundary=q\n\n--q\n\none\n--q\nContent-Type: text/plain\n\ntwo\n--q--\n',
    '((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"q\") NIL NIL NIL)',
  ],
  [
    'case kept as written; 8BIT; disposition params',
    'Content-Type: TEXT/plain; name=\"a b.txt\"; CHARSET=iso-8859-1\r\nContent-Transfer-Encoding: 8BIT\r\nContent-Disposition: attachment; filename=\"a b.txt\"; size=3\r\n\r\nabc',
    '(\"TEXT\" \"plain\" (\"name\" \"a b.txt\" \"CHARSET\" \"iso-8859-1\") NIL NIL \"8BIT\" 3 0 NIL (\"attachment\" (\"filename\" \"a b.txt\" \"size\" \"3\")) NIL NIL)',
  ],
  [
    'empty boundary parameter: lines of --',
    'Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n----\r\n',
    '((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"\") NIL NIL NIL)',
  ],
  [
    'duplicate parameters kept',
    'Content-Type: application/x; p1=a; p1=b; P1=c\r\n\r\nx',
    '(\"application\" \"x\" (\"p1\" \"a\" \"p1\" \"b\" \"P1\" \"c\") NIL NIL \"7bit\" 1 NIL NIL NIL NIL)',
  ],
  [
    'empty message/rfc822 part',
    'Content-Type: multipart/alternative; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--\r\n',
    '((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"x\") NIL NIL NIL)',
  ],
  [
    'folded Content-Location, MD5, ID',
    'Content-Type: text/plain; charset=utf-8\r\nContent-Location: http://a\r\n  /b\r\nContent-MD5: abc\r\nContent-ID: <x@y>\r\n\r\nx',
    '(\"text\" \"plain\" (\"charset\" \"utf-8\") \"<x@y>\" NIL \"7bit\" 1 0 \"abc\" NIL NIL \"http://a  /b\")',
  ],
  [
    'empty header',
    '\r\nbody with empty header\r\n',
    '(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 24 1 NIL NIL NIL NIL)',
  ],
];

for (const [name, raw, want] of cases) {
  test(name, () => {
    assert.is(imapText(bodyStructure(parseMime(Buffer.from(raw, 'latin1')), true)), want);
  });
}

test('Content-Transfer-Encoding with junk after the token is ignored (Dovecot: 7bit)', () => {
  const raw = Buffer.from('MIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n junk=1\r\n\r\nx');
  assert.is(imapText(bodyStructure(parseMime(raw), false)), '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 1 0)');
  const ok = Buffer.from('MIME-Version: 1.0\r\nContent-Transfer-Encoding: (c) BASE64 (d)\r\n\r\nx');
  assert.is(imapText(bodyStructure(parseMime(ok), false)), '("text" "plain" ("charset" "us-ascii") NIL NIL "BASE64" 1 0)');
});

test('invalid Content-Type is text/plain (RFC 2045 5.2; Dovecot answers "" "")', () => {
  for (const ct of ['; charset=utf-8', '/plain', 'text', 'text/']) {
    const raw = Buffer.from(`Content-Type: ${ct}\r\n\r\nx\r\n`);
    assert.is(imapText(bodyStructure(parseMime(raw), false)), '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 1)', ct);
  }
});

test.run();
