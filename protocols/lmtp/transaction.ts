/**
 * One mail transaction (MAIL .. DATA/BDAT LAST): the sender, accepted recipients with the user
 * stores opened for them at RCPT time, and BDAT chunks gathered so far. `release()` gives
 * every store back; the session calls it whenever the transaction ends (delivered, RSET, new
 * LHLO, QUIT, dropped connection).
 */
import type { UserMailStore } from '../../core/storage/mail-store.ts';

export interface Recipient {
  /** The address as the client wrote it (used in replies and Delivered-To). */
  address: string;
  /** Canonical user name from the Authenticator. */
  user: string;
  store: UserMailStore;
}

export class Transaction {
  readonly recipients: Recipient[] = [];
  /** BDAT chunks so far, within the message size (a chunk over it ends the transaction). */
  chunks: Buffer[] = [];
  chunkBytes = 0;
  usedBdat = false;
  private released = false;

  constructor(
    /** Reverse path without brackets; '' for the null sender. */
    readonly sender: string,
    /** SIZE= from MAIL FROM, when given. */
    readonly declaredSize: number | null,
  ) {}

  /** Give every store back, through `giveBack` (the connection's StoreKeeper) when given. */
  async release(giveBack?: (r: Recipient) => Promise<void>): Promise<void> {
    if (this.released) return;
    this.released = true;
    await Promise.all(this.recipients.map((r) => (giveBack ? giveBack(r) : r.store.release()).catch(() => undefined)));
    this.chunks = [];
  }
}
