/**
 * A selected mailbox seen by someone with less than every right (another user through a
 * shared mailbox, or anyone on a read-only vault mailbox): each change checks the actor's
 * rights at the time it is made, in the store (RFC 4314 4), then goes to the real view.
 */
import { flagRights, requireRights } from './acl.ts';
import type { CopyResult, MailboxView, MessageMeta, StoreOperation, StoreResult, ViewUpdate } from './mail-store.ts';

/** How the view learns the actor's current rights on a mailbox ('' when it is missing/hidden). */
export type RightsLookup = (mailbox: string) => Promise<string>;

export class ActorView implements MailboxView {
  readonly expungedSince?: MailboxView['expungedSince'];

  constructor(
    private readonly inner: MailboxView,
    private readonly rights: RightsLookup,
  ) {
    if (inner.expungedSince) this.expungedSince = (modseq) => inner.expungedSince!(modseq);
  }

  get name(): string { return this.inner.name; }
  get guid(): string { return this.inner.guid; }
  get readOnly(): boolean { return this.inner.readOnly; }
  get uidValidity(): number { return this.inner.uidValidity; }
  count(): number { return this.inner.count(); }
  uidAt(seq: number): number { return this.inner.uidAt(seq); }
  seqOfUid(uid: number): number { return this.inner.seqOfUid(uid); }
  meta(seq: number): MessageMeta { return this.inner.meta(seq); }
  isRecent(seq: number): boolean { return this.inner.isRecent(seq); }
  recentCount(): number { return this.inner.recentCount(); }
  uidNext(): number { return this.inner.uidNext(); }
  highestModseq(): number { return this.inner.highestModseq(); }
  sync(): ViewUpdate { return this.inner.sync(); }
  onChange(listener: () => void): () => void { return this.inner.onChange(listener); }
  close(): Promise<void> { return this.inner.close(); }

  async read(seq: number): Promise<Buffer> {
    await this.need(this.inner.name, 'r');
    return this.inner.read(seq);
  }

  async store(uids: number[], op: StoreOperation, flags: string[], unchangedSince?: number): Promise<StoreResult> {
    // A replace may clear any flag, so it needs every flag right.
    await this.need(this.inner.name, op === 'replace' ? 'stw' : flagRights(flags));
    return this.inner.store(uids, op, flags, unchangedSince);
  }

  async expunge(uids?: number[]): Promise<number[]> {
    await this.need(this.inner.name, 'e');
    return this.inner.expunge(uids);
  }

  async copy(uids: number[], destination: string): Promise<CopyResult> {
    await this.need(this.inner.name, 'r');
    await this.need(destination, 'i');
    return this.inner.copy(uids, destination);
  }

  async move(uids: number[], destination: string): Promise<CopyResult> {
    await this.need(this.inner.name, 'rte');
    await this.need(destination, 'i');
    return this.inner.move(uids, destination);
  }

  private async need(mailbox: string, needed: string): Promise<void> {
    requireRights(await this.rights(mailbox), needed, mailbox);
  }
}
