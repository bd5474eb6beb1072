/**
 * Connection accounting: per user (limits.connectionsPerUser, all protocols together, through
 * ServerContext.connections) and per remote IP (limits.connectionsPerIp, used by the listeners).
 * Release functions are idempotent so a session may call them from several exit paths.
 */
import type { ConnectionRegistry } from './types.ts';

export class CountingLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** A release function, or null when `key` is at the limit. */
  acquire(key: string): (() => void) | null {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.limit) return null;
    this.counts.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys with at least one connection. */
  get size(): number {
    return this.counts.size;
  }
}

export interface UserConnectionRegistry extends ConnectionRegistry {
  count(user: string): number;
}

/** Users are counted case-insensitively, as they log in. */
export function createConnectionRegistry(connectionsPerUser: number): UserConnectionRegistry {
  const limiter = new CountingLimiter(connectionsPerUser);
  return {
    acquireUser: (user) => limiter.acquire(user.toLowerCase()),
    count: (user) => limiter.count(user.toLowerCase()),
  };
}
