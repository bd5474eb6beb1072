/**
 * The idle-connection bench never rots: a tiny run of the real runner (client processes, two
 * server instances, growing steps) against Columba (and a private Dovecot when installed), and the pure parts (addresses, Dovecot
 * config variants, the Markdown report) on known input.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runIdleTarget } from '../../bench/idle/bench.ts';
import { idleConfigTransform } from '../../bench/idle/dovecot-modes.ts';
import { sourceAddresses } from '../../bench/idle/limits.ts';
import { idleMarkdown, type IdleReport } from '../../bench/idle/report.ts';
import { dovecotConfig } from '../../bench/dovecot/config.ts';
import { startColumba } from '../../bench/load/columba-target.ts';
import { startDovecot } from '../../bench/dovecot/dovecot.ts';
import { existsSync } from 'node:fs';
import { benchUsers } from '../../bench/load/target.ts';

const pure = suite('idle bench: pure parts');

pure('source addresses: enough for the count, none on 127.0.0.1, all distinct', () => {
  const a = sourceAddresses(50_000, 250);
  assert.is(a.length, 200);
  assert.is(new Set(a).size, 200);
  assert.ok(a.every((x) => /^127\.1\.\d+\.\d+$/.test(x) && !x.endsWith('.0') && !x.endsWith('.255')));
  assert.equal(sourceAddresses(10, 250), ['127.1.0.1']);
  assert.is(sourceAddresses(254 * 250 + 1, 250).at(-1), '127.1.1.1');
});

const base = dovecotConfig({ dir: '/d', instance: 'i', mode: 'high-performance', ports: { imap: 1, pop3: 2, lmtp: 3 }, passwdFile: '/p', cores: 2 });

pure('dovecot variants: limits raised, hibernation and client_limit where asked', () => {
  const hp = idleConfigTransform('high-performance', 10_000)(base);
  assert.ok(!/process_limit = 1000\n/.test(hp), 'no 1000 cap left');
  assert.match(hp, /default_process_limit = 11000/);
  assert.not.match(hp, /imap_hibernate_timeout/);
  const hib = idleConfigTransform('hp-hibernate', 10_000)(base);
  assert.match(hib, /imap_hibernate_timeout = 1s/);
  assert.match(hib, /service imap-hibernate \{/);
  // The imap process must exit after handing its session over: no service_count = 0 in it.
  const imapBlock = /^service imap \{\n[\s\S]*?^\}/m.exec(hib)![0];
  assert.not.match(imapBlock, /service_count = 0/);
  assert.match(imapBlock, /unix_listener imap-master/);
  const cl = idleConfigTransform('hp-client-limit', 10_000)(base);
  assert.match(/^service imap \{\n[\s\S]*?^\}/m.exec(cl)![0], /client_limit = 50/);
});

pure('markdown: one row per step with per-connection KiB', () => {
  const r: IdleReport = {
    date: '2026-11-28T20:00:00.000Z',
    command: 'npm run bench:idle',
    machine: { cpus: '2 × x', node: 'v20', dovecot: null },
    limits: { nofile: '20000:20000', sysctls: {}, changed: [], warnings: [] },
    options: {},
    targets: [
      {
        label: 'columba',
        shards: 1,
        baseline: { rssKb: 1000, pssKb: 1000, processes: 1 },
        steps: [
          { connections: 1000, open: 1000, failed: 0, dropped: 0, errors: [], setupSeconds: 2, server: { rssKb: 21_000, pssKb: 17_000, processes: 1 }, rssPerConnection: 20_480, pssPerConnection: 16_384, client: { rssKb: 0, pssKb: 0, processes: 1 } },
        ],
      },
    ],
  };
  assert.ok(idleMarkdown(r).includes('| columba | 1 | 1000 | 1000 | 0 | 0 | 2.0 | 500 | 16.0 | 20.0 | 16.0 | 17 | 1 |'), idleMarkdown(r));
});
pure.run();

const run = suite('idle bench: tiny run against Columba');

run('two instances, two steps, client processes: every connection reaches IDLE', async () => {
  const users = benchUsers(3);
  const lines: string[] = [];
  const r = await runIdleTarget(
    'columba',
    () => startColumba({ users, scheme: 'SSHA512' }),
    { steps: [4, 10], concurrency: 4, clientProcesses: 2, perClientProcess: 1000, preloadPerUser: 1, warmup: 2, settleMs: 50, perAddress: 3, log: (l) => lines.push(l) },
    2,
  );
  assert.is(r.error, undefined, r.error);
  assert.is(r.steps.length, 2);
  assert.equal(r.steps.map((s) => [s.connections, s.open, s.failed, s.dropped]), [
    [4, 4, 0, 0],
    [10, 10, 0, 0],
  ]);
  assert.ok(r.baseline.pssKb > 0 && r.steps[1]!.server.rssKb > 0);
  assert.ok(r.steps[1]!.client.processes >= 2, 'clients run in their own processes');
  assert.is(lines.length, 2);
});

if (existsSync('/usr/sbin/dovecot') && process.getuid?.() === 0) {
  run('Dovecot high-performance, one step: every connection reaches IDLE', async () => {
    const users = benchUsers(2);
    const r = await runIdleTarget(
      'dovecot-hp',
      () => startDovecot({ users, mode: 'high-performance', scheme: 'SSHA512' }),
      { steps: [4], concurrency: 4, clientProcesses: 1, perClientProcess: 1000, preloadPerUser: 1, warmup: 0, settleMs: 50, perAddress: 3 },
      1,
    );
    assert.is(r.error, undefined, r.error);
    assert.equal(r.steps.map((s) => [s.connections, s.open, s.failed, s.dropped]), [[4, 4, 0, 0]]);
    assert.ok(r.steps[0]!.server.rssKb > 0);
  });
}
run.run();
