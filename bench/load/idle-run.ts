/**
 * `node --import tsx bench/load/idle-run.ts --connections 1000 [--dovecot] [--users 50]`:
 * RSS per idle IMAP connection (logged in, INBOX selected, IDLE) for Columba and, with
 * --dovecot, Dovecot in both login modes. Source addresses rotate over 127.0.0.2-127.0.0.61.
 */
import { parseArgs } from 'node:util';
import { startDovecot } from '../dovecot/dovecot.ts';
import { startColumba } from './columba-target.ts';
import { runIdleMemory } from './idle-memory.ts';
import { preload } from './scenario.ts';
import { benchUsers, type Target } from './target.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    users: { type: 'string', default: '50' },
    dovecot: { type: 'boolean', default: false },
    'columba-config': { type: 'string', default: '' },
  },
});
const users = benchUsers(Number(values.users));
const locals = Array.from({ length: 60 }, (_, i) => `127.0.0.${i + 2}`);
const starters: Array<() => Promise<Target>> = [() => startColumba({ users, extraConfig: values['columba-config']!.replace(/\\n/g, '\n') + '\n' })];
if (values.dovecot) starters.push(() => startDovecot({ users, mode: 'high-security' }), () => startDovecot({ users, mode: 'high-performance' }));
for (const start of starters) {
  const t = await start();
  try {
    await preload(t, 10, 1, 64_000);
    const r = await runIdleMemory({ host: t.host, port: t.ports.imap, pid: t.pid!, users, connections: Number(values.connections), localAddresses: locals });
    console.log(
      `${t.label.padEnd(11)} ${r.connections} idle (${r.failed} failed) in ${r.setupSeconds} s: RSS ${Math.round(r.rssBeforeKb / 1024)} -> ${Math.round(r.rssIdleKb / 1024)} MiB, ` +
        `${(r.bytesPerConnection / 1024).toFixed(1)} KiB RSS / ${(r.pssBytesPerConnection / 1024).toFixed(1)} KiB PSS per connection, ${r.processes} processes`,
    );
  } finally {
    await t.stop();
  }
}
