/**
 * The Authenticator the protocols use, backed by the passwd-file (config.auth.passwdFile).
 * A failed verify() resolves only after the per-IP failure delay, which slows password guessing
 * without holding any CPU: the wait is a timer. With auth.cacheTtlSeconds > 0, a password
 * verified lately against the same stored hash skips the scheme (verify-cache.ts).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Authenticator, AuthResult } from './types.ts';
import { PasswdFile } from './passwd-file.ts';
import { splitScheme, verifyPassword } from './schemes.ts';
import { setHashThreadLimit, setHashThreadNice, warmHashThreads } from './hash-threads.ts';
import { FailureDelay } from './failure-delay.ts';
import { VerifyCache } from './verify-cache.ts';
import { join } from 'node:path';

export interface AuthenticatorOptions {
  /** Injectable for tests: how a delay is waited out. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface PasswdAuthenticator extends Authenticator {
  readonly delays: FailureDelay;
  readonly db: PasswdFile;
  readonly cache: VerifyCache;
}

const realSleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms).unref?.());

export function passwdPath(config: Config): string {
  return config.auth.passwdFile ?? join(config.home, 'users');
}

/** Schemes verified on the password hashing threads. */
const THREADED_SCHEMES = new Set(['SHA512-CRYPT', 'ARGON2ID', 'ARGON2I']);

export function createAuthenticator(config: Config, log: Logger, opts: AuthenticatorOptions = {}): PasswdAuthenticator {
  const db = new PasswdFile(passwdPath(config), (line) => log.warn({ file: passwdPath(config), line }, 'passwd-file: malformed line skipped'));
  const delays = new FailureDelay({
    baseMs: config.auth.failureDelayMs,
    maxMs: config.auth.failureDelayMaxMs,
    now: opts.now,
  });
  const sleep = opts.sleep ?? realSleep;
  setHashThreadLimit(config.auth.hashThreads);
  setHashThreadNice(config.auth.hashNice);
  // Start a hashing thread now when users need one, so the first logins do not wait for it to
  // load (tsx + kernels: ~0.4 s, seconds on a busy machine). Best effort.
  void db
    .list()
    .then((entries) => {
      if (entries.some((e) => THREADED_SCHEMES.has(splitScheme(e.password).scheme ?? ''))) return warmHashThreads();
    })
    .catch(() => {});
  const cache = new VerifyCache({
    ttlMs: config.auth.cacheTtlSeconds * 1000,
    maxEntries: config.auth.cacheSize,
    now: opts.now,
  });

  async function fail(user: string, remoteIp: string, reason: string): Promise<AuthResult> {
    const delayMs = delays.recordFailure(remoteIp);
    log.info({ user, ip: remoteIp, reason, delayMs }, 'auth failed');
    await sleep(delayMs);
    return { ok: false };
  }

  return {
    db,
    delays,
    cache,
    async verify(user: string, password: string, remoteIp: string): Promise<AuthResult> {
      let entry;
      try {
        entry = await db.lookup(user);
      } catch (err) {
        log.error({ err, user }, 'passwd-file lookup failed');
        return fail(user, remoteIp, 'lookup error');
      }
      if (!entry) return fail(user, remoteIp, 'unknown user');
      let ok = cache.matches(entry.name, entry.password, password);
      if (!ok) {
        try {
          ok = await verifyPassword(password, entry.password);
        } catch (err) {
          log.error({ err, user: entry.name }, 'password verification error');
        }
        if (ok) cache.remember(entry.name, entry.password, password);
      }
      if (!ok) return fail(entry.name, remoteIp, 'wrong password');
      delays.recordSuccess(remoteIp);
      return { ok: true, user: entry.name };
    },
    async lookup(user: string): Promise<string | null> {
      const entry = await db.lookup(user);
      return entry?.name ?? null;
    },
  };
}
