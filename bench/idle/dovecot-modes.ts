/**
 * Dovecot configurations for the idle benchmark. The bench's base config (bench/dovecot/config.ts)
 * caps processes at 1000; idle runs need a process, or a slot, per connection:
 * - `high-security`: Dovecot's default, a login process per connection and an imap process per
 *   session (after login the login process hands the socket over and exits, no TLS here).
 * - `high-performance`: login processes serve many connections (service_count = 0); still one
 *   imap process per session.
 * - `hp-hibernate`: high-performance plus imap-hibernate: a session idle in IDLE for
 *   `imap_hibernate_timeout` moves its socket and state to the imap-hibernate process and its
 *   imap process exits (Debian's dovecot-imapd ships it). The ISP answer to idle connections.
 * - `hp-client-limit`: high-performance plus `service imap { client_limit = 50 }`: one imap
 *   process serves up to 50 sessions (possible here because every bench user has the same uid).
 */
import type { DovecotMode } from '../dovecot/config.ts';

export const DOVECOT_IDLE_MODES = ['high-security', 'high-performance', 'hp-hibernate', 'hp-client-limit'] as const;
export type DovecotIdleMode = (typeof DOVECOT_IDLE_MODES)[number];

export function isDovecotIdleMode(s: string): s is DovecotIdleMode {
  return (DOVECOT_IDLE_MODES as readonly string[]).includes(s);
}

/** Target label in reports: dovecot-hs, dovecot-hp, dovecot-hp-hibernate, dovecot-hp-client-limit. */
export function dovecotIdleLabel(mode: DovecotIdleMode): string {
  return mode === 'high-security' ? 'dovecot-hs' : mode === 'high-performance' ? 'dovecot-hp' : `dovecot-${mode}`;
}

/** The base login mode a variant builds on. */
export function baseMode(mode: DovecotIdleMode): DovecotMode {
  return mode === 'high-security' ? 'high-security' : 'high-performance';
}

/** Sessions one imap process holds in hp-client-limit. */
export const IMAP_CLIENT_LIMIT = 50;

/**
 * Rewrites the bench's dovecot.conf for `maxConnections` idle sessions in the given mode;
 * `perProcess` caps the sessions one imap-hibernate process holds (its descriptor limit).
 */
export function idleConfigTransform(mode: DovecotIdleMode, maxConnections: number, perProcess = 10_000): (conf: string) => string {
  const processes = maxConnections + 1000;
  return (conf) => {
    let c = conf
      .replace(/^default_process_limit = \d+$/m, `default_process_limit = ${processes}`)
      .replace(/^default_client_limit = \d+$/m, `default_client_limit = ${processes + 10_000}`)
      .replace(/^(\s+)process_limit = \d+$/gm, `$1process_limit = ${processes}`);
    if (mode === 'hp-client-limit') c = c.replace(/^service imap \{\n/m, `service imap {\n  client_limit = ${IMAP_CLIENT_LIMIT}\n`);
    if (mode === 'hp-hibernate') {
      // The imap process (uid nobody) must reach imap-hibernate; imap-hibernate must reach
      // imap-master to wake a session up. Loopback-only private instance: open modes are fine.
      c = c.replace(/^service imap \{\n/m, 'service imap {\n  unix_listener imap-master {\n    mode = 0666\n  }\n');
      // A reused imap process (service_count = 0) would linger after handing its session over.
      c = c.replace(/^(service imap \{\n(?: .*\n)*?)  service_count = 0\n/m, '$1');
      c += `imap_hibernate_timeout = 1s
service imap-hibernate {
  unix_listener imap-hibernate {
    mode = 0666
  }
  # Each hibernated session holds its socket, an inotify descriptor and more: stay well below
  # one process's RLIMIT_NOFILE (a run at 50k with client_limit near it stalled at ~20k).
  client_limit = ${Math.min(processes, Math.floor(perProcess / 4))}
}
`;
    }
    return c;
  };
}
