/**
 * User stores an LMTP connection keeps open between its transactions. Without it every
 * delivery ended with the user's last release, and a release uploads the user's index changes
 * (a diff object, a journal rotation and a cleanup: about as much work as the delivery
 * itself). An MTA reuses its LMTP connections for bursts of mail, often to the same users, so
 * a store given back by a transaction is held a moment (holdMs) for the next RCPT; the upload
 * then happens once the burst is over, or by the store's own every-N-deliveries policy.
 * Bounded per connection (max); everything is released when the connection ends.
 */
import type { UserMailStore } from '../../core/storage/mail-store.ts';

interface Kept {
  user: string;
  store: UserMailStore;
  timer: NodeJS.Timeout;
}

export class StoreKeeper {
  private readonly kept: Kept[] = [];
  private closed = false;

  constructor(
    private readonly open: (user: string) => Promise<UserMailStore>,
    private readonly opts: { max: number; holdMs: number },
  ) {}

  /** How many stores are held now. */
  get size(): number {
    return this.kept.length;
  }

  /** A held store of `user` (no open), or a newly opened one. */
  acquire(user: string): Promise<UserMailStore> {
    const i = this.kept.findIndex((k) => k.user === user);
    if (i < 0) return this.open(user);
    const [k] = this.kept.splice(i, 1);
    clearTimeout(k!.timer);
    return Promise.resolve(k!.store);
  }

  /** Take a store back from a finished transaction; the oldest goes when over the bound. */
  async keep(user: string, store: UserMailStore): Promise<void> {
    if (this.closed || this.opts.max <= 0 || this.opts.holdMs <= 0) return release(store);
    const k: Kept = { user, store, timer: setTimeout(() => void this.drop(k), this.opts.holdMs) };
    k.timer.unref();
    this.kept.push(k);
    const over = this.kept.length - this.opts.max;
    if (over > 0) await Promise.all(this.kept.splice(0, over).map((o) => (clearTimeout(o.timer), release(o.store))));
  }

  /** The connection ended: give everything back; later keep() calls release at once. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.kept.splice(0).map((k) => (clearTimeout(k.timer), release(k.store))));
  }

  private async drop(k: Kept): Promise<void> {
    const i = this.kept.indexOf(k);
    if (i < 0) return;
    this.kept.splice(i, 1);
    await release(k.store);
  }
}

function release(store: UserMailStore): Promise<void> {
  return store.release().catch(() => undefined);
}
