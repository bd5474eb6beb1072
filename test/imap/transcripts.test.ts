/** Runs every test/imap/transcripts/*.txt as its own test. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { runTranscript } from './transcript.ts';

// INTERNALDATE is shown in the server's zone; transcripts are written for UTC.
process.env.TZ = 'UTC';

const dir = new URL('./transcripts/', import.meta.url).pathname;
const only = process.env.TRANSCRIPT;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
  if (only && !file.includes(only)) continue;
  test(file, async () => {
    await runTranscript(readFileSync(join(dir, file), 'utf8'), file);
  });
}

test.run();
