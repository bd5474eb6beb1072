/**
 * A cache of recently verified credentials (Dovecot's auth_cache, positive entries only), off
 * unless auth.cacheTtlSeconds > 0. A password scheme is slow on purpose (SHA512-CRYPT ≈ 3 ms,
 * ARGON2ID ≈ 100 ms of CPU); mail clients that log in per session (POP3 pollers, imap-login
 * webmails) present the same password every few seconds, so the hash is recomputed for nothing.
 *
 * An entry holds HMAC-SHA256(process key, password), never the password, and the stored hash it
 * was verified against: changing the password in the passwd-file (a different stored hash)
 * invalidates it at once. Failures are never cached: a wrong password always pays the full
 * verification and the failure delay. Bounded: the oldest entry goes when maxEntries is reached.
 * Trade-off (the same as Dovecot's): while an entry lives, someone who can read this process's
 * memory could test guesses at HMAC speed instead of the scheme's.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Entry {
  stored: string;
  mac: Buffer;
  expiresAt: number;
}

export interface VerifyCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export class VerifyCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(opts: VerifyCacheOptions) {
    this.ttlMs = opts.ttlMs;
    this.maxEntries = Math.max(1, opts.maxEntries ?? 100_000);
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private mac(password: string): Buffer {
    return createHmac('sha256', this.key).update(password, 'utf8').digest();
  }

  /** True when this user's password was verified against this same stored hash lately. */
  matches(user: string, stored: string, password: string): boolean {
    if (!this.enabled) return false;
    const k = user.toLowerCase();
    const e = this.entries.get(k);
    if (!e || e.stored !== stored || e.expiresAt <= this.now()) {
      if (e) this.entries.delete(k);
      this.misses++;
      return false;
    }
    const ok = timingSafeEqual(e.mac, this.mac(password));
    if (ok) this.hits++;
    else this.misses++;
    return ok;
  }

  /** Remember a successful verification. */
  remember(user: string, stored: string, password: string): void {
    if (!this.enabled) return;
    const k = user.toLowerCase();
    this.entries.delete(k); // re-insert: Map order is then oldest-first
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(k, { stored, mac: this.mac(password), expiresAt: this.now() + this.ttlMs });
  }

  /** Drop one user's entry (or all). */
  forget(user?: string): void {
    if (user === undefined) this.entries.clear();
    else this.entries.delete(user.toLowerCase());
  }
}
