/**
 * The load generators against a real Columba (and a private Dovecot when installed), a second or
 * two each: no protocol errors, some operations, server cost measured. No speed assertion.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { startColumba } from '../../bench/load/columba-target.ts';
import { startDovecot } from '../../bench/dovecot/dovecot.ts';
import { messagePools, preload, runScenario, type ScenarioOptions } from '../../bench/load/scenario.ts';
import { benchUsers, type Target } from '../../bench/load/target.ts';
import { summarize } from '../../bench/report/summary.ts';
import { markdownReport } from '../../bench/report/markdown.ts';

const options: ScenarioOptions = {
  workloads: ['imap-login', 'imap-persistent', 'pop3', 'lmtp'],
  clientCounts: [2],
  seconds: 1.5,
  seed: 3,
  preloadPerUser: 8,
  // Small messages keep the smoke run short.
  imapMaxBytes: 40_000,
  lmtpMaxBytes: 40_000,
  lmtpRecipients: 2,
};
const pools = messagePools(options);

function smoke(name: string, start: () => Promise<Target>) {
  const s = suite(name);
  s(`${name}: every generator runs without protocol errors`, async () => {
    const target = await start();
    try {
      const pre = await preload(target, options.preloadPerUser, options.seed, options.imapMaxBytes);
      assert.is(pre.failed, 0, pre.samples.join('; '));
      assert.is(pre.delivered, options.preloadPerUser * target.users.length);
      const records = await runScenario(target, 1, options, pools);
      assert.equal(records.map((r) => r.workload), options.workloads);
      for (const r of records) {
        assert.is(r.result.protocolErrors, 0, `${r.workload}: ${r.result.errorSamples.join(' | ')}`);
        assert.ok(r.result.ops > 0, `${r.workload}: no operation`);
        assert.ok(r.result.sessions > 0, `${r.workload}: no session`);
        assert.ok(r.result.latencyUs.p50 > 0 && r.result.latencyUs.p50 <= r.result.latencyUs.p999);
        assert.ok(r.cost !== null && r.cost.cpuSeconds >= 0 && r.cost.peakRssKb > 0, `${r.workload}: no server cost`);
      }
      const imap = records.find((r) => r.workload === 'imap-persistent')!;
      for (const cmd of ['FETCH-FLAGS', 'APPEND', 'STORE', 'EXPUNGE', 'LOGOUT']) {
        assert.ok(imap.result.byCommand[cmd], `no ${cmd} in the IMAP mix`);
      }
      // Persistent sessions are measured once all are logged in: setup is warm-up, not figures.
      for (const cmd of ['CONNECT', 'LOGIN', 'SELECT']) assert.not.ok(imap.result.byCommand[cmd], `${cmd} counted in the persistent mix`);
      assert.ok((imap.result.counters.warmupMs ?? -1) >= 0, 'no warm-up time');
      const logins = records.find((r) => r.workload === 'imap-login')!;
      for (const cmd of ['CONNECT', 'LOGIN', 'SELECT', 'LOGOUT']) assert.ok(logins.result.byCommand[cmd], `no ${cmd} in the login mix`);
      assert.ok(records.find((r) => r.workload === 'pop3')!.result.byCommand.CONNECT, 'no CONNECT in the POP3 mix');
      const lmtp = records.find((r) => r.workload === 'lmtp')!;
      assert.ok((lmtp.result.counters.recipients ?? 0) >= lmtp.result.ops);
      const { cells } = summarize(records);
      assert.is(cells.length, options.workloads.length);
      const md = markdownReport(
        { date: 'd', command: 'c', node: 'n', cpus: 1, cpu: 'x', dovecot: null, seconds: 1, rounds: 1, users: 2, notes: [] },
        cells,
        [],
        [],
      );
      assert.ok(md.includes(`| imap-login | 2 | ${target.label} |`));
    } finally {
      await target.stop();
    }
  });
  s.run();
}

const users = benchUsers(2);
smoke('columba', () => startColumba({ users }));
if (['/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/pop3'].every((f) => existsSync(f)) && process.getuid?.() === 0) {
  smoke('dovecot', () => startDovecot({ users, mode: 'high-performance' }));
}
