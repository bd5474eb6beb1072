/**
 * Mutation fuzzing: valid commands with bytes deleted, duplicated or replaced must always give
 * a request or a clean BAD/NO, never a parser crash (reported as "Internal parser error").
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, rng } from './helpers.ts';

const seeds = [
  'a UID FETCH 1:4,7:* (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (From "To")]<0.100> BODY[TEXT] MODSEQ) (CHANGEDSINCE 5)',
  'a SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (FROM x SINCE 1-Feb-2020) NOT (UID 1:* MODSEQ "/flags/x" all 5) HEADER X-A ""',
  'a STORE 1:3 (UNCHANGEDSINCE 7) +FLAGS.SILENT (\\Seen $Label)',
  'a APPEND "Entw&APw-rfe" (\\Draft) "01-Feb-2020 10:00:00 +0100" {2+}\r\nhi',
  'a LIST (SUBSCRIBED RECURSIVEMATCH) "" ("INBOX" %/*) RETURN (CHILDREN STATUS (MESSAGES SIZE))',
  'a ID ("name" "x" "version" NIL)',
  'a CREATE x (USE (\\Drafts))',
  'a SELECT INBOX (CONDSTORE)',
  'a STATUS INBOX (UIDNEXT HIGHESTMODSEQ)',
  'a AUTHENTICATE PLAIN AGJvYgBwdw==',
  'a LOGIN {3+}\r\nbob "pw"',
];

test('mutated commands never crash the parser', () => {
  const next = rng(7);
  const pick = (n: number) => Math.floor(next() * n);
  for (const seed of seeds) {
    const base = Buffer.from(seed, 'latin1');
    for (let round = 0; round < 400; round++) {
      const bytes = [...base];
      const edits = 1 + pick(3);
      for (let k = 0; k < edits; k++) {
        const at = pick(bytes.length);
        const op = pick(3);
        if (op === 0) bytes.splice(at, 1);
        else if (op === 1) bytes.splice(at, 0, bytes[at] ?? 0x20);
        else bytes[at] = ' ()[]<>{}"\\*:.,0123456789aZ~+'.charCodeAt(pick(30));
      }
      const input = Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n')]);
      const events = feed(input, { limits: { imapLineLength: 1000 } });
      for (const e of events as any[]) {
        assert.ok(['request', 'error', 'need-continuation'].includes(e.kind), JSON.stringify(e));
        assert.is.not(e.text, 'Internal parser error', JSON.stringify(input.toString('latin1')));
      }
    }
  }
});

test.run();
