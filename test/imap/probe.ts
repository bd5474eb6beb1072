/**
 * Developer aid for writing transcripts: logs in as alice on a fresh memory store, runs the
 * given command lines and prints every reply. `!deliver MAILBOX FIXTURE` puts a fixture in.
 *   node --import tsx test/imap/probe.ts '!deliver INBOX simple' 'a SELECT INBOX' 'b FETCH 1 ALL'
 */
import { createTestServer } from './harness.ts';
import { fixture } from './transcript.ts';
process.env.TZ = 'UTC';
const s = createTestServer();
const c = s.connect();
await c.login();
const cmds = process.argv.slice(2);
for (const l of cmds) {
  if (l.startsWith('!deliver ')) { const [, mb, f] = l.split(' '); await s.deliver('alice', mb!, fixture(f!), { internalDate: new Date('2024-01-02T03:04:05Z') }); continue; }
  console.log((await c.command(l)).join('\n'));
}
await s.close();
