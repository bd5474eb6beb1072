/**
 * The mail store as one actor sees it: every operation first checks the actor's effective
 * rights (RFC 4314) on the mailbox it touches, here in the store, so no protocol handler can
 * forget to. A mailbox without `l` is NOT_FOUND (exactly like a missing one, nothing leaks);
 * another missing right is NO_PERMISSION. The owner has every right except on a read-only
 * vault mailbox (see UserStore.rightsOf). One ActorStore exists per openUser() handle, over the
 * user's shared UserStore, so the provider's reference counting is untouched.
 */
import { ALL_RIGHTS, allowedFlags, canWriteSelected, requireRights } from './acl.ts';
import { ActorView } from './actor-view.ts';
import { StorageError } from './errors.ts';
import type { AppendOptions, AppendResult, MailboxInfo, MailboxStatus, MailboxView, SpecialUse } from './mail-store.ts';
import { normalizeMailboxName, parentNames } from './mailbox-names.ts';
import type { MetadataChange } from './metadata-store.ts';
import type { UserStore } from './user-store.ts';

/** The UserMailStore methods an actor handle answers itself (the provider routes these here). */
export const ACTOR_CHECKED_METHODS = new Set<string>([
  'listMailboxes', 'createMailbox', 'deleteMailbox', 'renameMailbox', 'setSubscribed', 'status', 'append',
  'openMailbox', 'lockExclusive', 'getMetadata', 'setMetadata', 'getAcl', 'setAcl', 'myRights', 'setReadOnlyVault',
]);

export class ActorStore {
  constructor(
    private readonly store: UserStore,
    readonly actor: string,
  ) {}

  private get isOwner(): boolean {
    return this.actor === this.store.user;
  }

  /** The actor's rights now ('' for a missing or hidden mailbox of someone else). */
  rights = (mailbox: string): Promise<string> => this.store.rightsOf(mailbox, this.actor);

  private async need(mailbox: string, needed: string): Promise<string> {
    const n = normalizeMailboxName(mailbox);
    const r = await this.rights(n);
    requireRights(r, needed, n);
    return r;
  }

  /**
   * `k` on the nearest existing ancestor; a new top-level mailbox is the owner's alone. For
   * another actor a missing ancestor is NOT_FOUND, the same answer as a hidden one.
   */
  private async needCreateUnder(name: string): Promise<void> {
    const ancestors = parentNames(name);
    const parent = [...ancestors].reverse().find((p) => this.store.index.get(p));
    if (parent !== undefined) {
      await this.need(parent, 'k');
      return;
    }
    if (this.isOwner) return;
    if (ancestors.length > 0) throw new StorageError('NOT_FOUND', `no such mailbox: ${ancestors[0]}`);
    throw new StorageError('NO_PERMISSION', `cannot create ${name}`);
  }

  async listMailboxes(): Promise<MailboxInfo[]> {
    const all = await this.store.listMailboxes();
    if (this.isOwner) return all; // the owner always keeps l (vault rights include it)
    const out: MailboxInfo[] = [];
    for (const m of all) if ((await this.rights(m.name)).includes('l')) out.push(m);
    return out;
  }

  async createMailbox(name: string, opts?: { specialUse?: SpecialUse }): Promise<void> {
    const n = normalizeMailboxName(name);
    await this.needCreateUnder(n);
    return this.store.createMailbox(n, opts);
  }

  async deleteMailbox(name: string): Promise<void> {
    await this.need(name, 'x');
    return this.store.deleteMailbox(name);
  }

  async renameMailbox(from: string, to: string): Promise<void> {
    await this.need(from, 'x');
    await this.needCreateUnder(normalizeMailboxName(to));
    return this.store.renameMailbox(from, to);
  }

  async setSubscribed(name: string, subscribed: boolean): Promise<void> {
    // The owner may drop a subscription to a mailbox that no longer exists (RFC 3501 6.3.7).
    if (!this.isOwner || this.store.index.get(normalizeMailboxName(name))) await this.need(name, 'l');
    return this.store.setSubscribed(name, subscribed);
  }

  async status(name: string): Promise<MailboxStatus> {
    await this.need(name, 'r');
    return this.store.status(name);
  }

  async append(name: string, raw: Buffer, opts: AppendOptions = {}): Promise<AppendResult> {
    const rights = await this.need(name, 'i');
    // RFC 4314 4: flags the user may not set are dropped silently, the message is still saved.
    const flags = opts.flags && rights !== ALL_RIGHTS ? allowedFlags(opts.flags, rights) : opts.flags;
    return this.store.append(name, raw, { ...opts, flags });
  }

  async openMailbox(name: string, opts: { readOnly: boolean }): Promise<MailboxView> {
    const rights = await this.need(name, 'r');
    if (rights === ALL_RIGHTS) return this.store.openMailbox(name, opts);
    // RFC 4314 4: SELECT without any right to change the mailbox is READ-ONLY.
    const view = await this.store.openMailbox(name, { readOnly: opts.readOnly || !canWriteSelected(rights) });
    return new ActorView(view, this.rights);
  }

  async lockExclusive(name: string, owner: string): Promise<() => void> {
    await this.need(name, 'r');
    return this.store.lockExclusive(name, owner);
  }

  /**
   * RFC 5464 3.2 with RFC 4314 rights: mailbox entries need `l` and `r` to read, `/shared` ones
   * `w` to write. `/private` entries and server entries are the owner's own: another actor does
   * not see them and cannot write them (per-actor private entries are later work).
   */
  async getMetadata(mailbox: string | null): Promise<Map<string, Buffer>> {
    if (mailbox === null) {
      this.ownerOnly('server metadata');
      return this.store.getMetadata(null);
    }
    await this.need(mailbox, 'r');
    const all = await this.store.getMetadata(mailbox);
    if (this.isOwner) return all;
    return new Map([...all].filter(([k]) => k.startsWith('/shared')));
  }

  async setMetadata(mailbox: string | null, changes: MetadataChange[]): Promise<void> {
    if (mailbox === null) {
      this.ownerOnly('server metadata');
      return this.store.setMetadata(null, changes);
    }
    const shared = changes.some((c) => c.entry.startsWith('/shared'));
    await this.need(mailbox, shared ? 'rw' : 'r');
    if (!this.isOwner && changes.some((c) => !c.entry.startsWith('/shared'))) {
      throw new StorageError('NO_PERMISSION', 'private entries of a shared mailbox are not supported');
    }
    return this.store.setMetadata(mailbox, changes);
  }

  async getAcl(mailbox: string): Promise<Map<string, string>> {
    await this.need(mailbox, 'a');
    return this.store.getAcl(mailbox);
  }

  async setAcl(mailbox: string, identifier: string, rights: string | null): Promise<void> {
    await this.need(mailbox, 'a');
    return this.store.setAcl(mailbox, identifier, rights);
  }

  /** MYRIGHTS needs some right (a mailbox with none is NOT_FOUND); another's rights need `a`. */
  async myRights(mailbox: string, identifier: string = this.actor): Promise<string> {
    if (identifier !== this.actor) await this.need(mailbox, 'a');
    const rights = await this.store.myRights(mailbox, identifier);
    if (identifier === this.actor && !rights.includes('l')) requireRights(rights, '', normalizeMailboxName(mailbox));
    return rights;
  }

  /** Mark (or unmark) a mailbox read-only for everyone; only the owner's handle may. */
  async setReadOnlyVault(mailbox: string, on: boolean): Promise<void> {
    this.ownerOnly('the vault flag');
    return this.store.setReadOnlyVault(mailbox, on);
  }

  private ownerOnly(what: string): void {
    if (!this.isOwner) throw new StorageError('NO_PERMISSION', `only the owner may change ${what}`);
  }
}
