/** What an LMTP command handler sees of its session; replies go through the awaited transport. */
import type { ServerContext, Transport } from '../../net/types.ts';
import type { StoreKeeper } from '../store-keeper.ts';
import type { Transaction } from '../transaction.ts';

export interface LmtpContext {
  readonly id: string;
  readonly transport: Transport;
  readonly server: ServerContext;
  /** LHLO was given. */
  lhloDone: boolean;
  tx: Transaction | null;
  /** Where RCPT gets user stores and finished transactions give them back. */
  readonly stores: StoreKeeper;
  readonly closed: boolean;
  /** Write reply lines (CRLF added to each) in one write. */
  reply(...lines: string[]): Promise<void>;
  /** End the transaction and give back the stores it opened. */
  resetTransaction(): Promise<void>;
  /** After 354: the next bytes are the DATA body. */
  beginData(): void;
  bug(where: string, err: unknown): void;
  close(): Promise<void>;
}

export interface LmtpCommand {
  readonly verb: string;
  /** `args` is everything after the verb; 8-bit bytes that are not UTF-8 arrive as latin1. */
  run(ctx: LmtpContext, args: string): Promise<void>;
}
