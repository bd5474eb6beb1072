/** Runs every POP3 transcript in test/pop3/transcripts, whole lines and byte by byte. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { createPop3Session } from '../../protocols/pop3/session.ts';
import { makeStoreHandle } from './support/stores.ts';
import { runTranscript } from './support/transcript.ts';

const dir = new URL('./transcripts/', import.meta.url).pathname;
const env = { factories: { pop3: createPop3Session, lmtp: createLmtpSession }, makeStore: makeStoreHandle };

for (const name of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
  for (const split of [false, true]) {
    test(`${name} (${split ? 'byte by byte' : 'whole lines'})`, async () => {
      await runTranscript(join(dir, name), env, 'pop3', split);
    });
  }
}

test.run();
