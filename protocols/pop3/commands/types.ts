/**
 * What a POP3 command handler sees of its session. Handlers reply through `reply`/`write`
 * (which await the transport: back-pressure) and never touch the socket themselves.
 */
import type { ServerContext, Transport } from '../../net/types.ts';
import type { Maildrop } from '../maildrop.ts';

export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

export interface Pop3Context {
  readonly id: string;
  readonly transport: Transport;
  readonly server: ServerContext;
  state: Pop3State;
  /** The name given by USER, waiting for PASS. */
  pendingUser: string | null;
  maildrop: Maildrop | null;
  /** True once the connection is gone or being closed. */
  readonly closed: boolean;
  /** Write one reply line (CRLF added). */
  reply(line: string): Promise<void>;
  /** Write raw bytes (multi-line bodies). */
  write(data: string | Uint8Array): Promise<void>;
  /** Next raw line from the client (SASL continuation); null when the connection is gone. */
  readLine(): Promise<string | null>;
  /** Plaintext USER/PASS and SASL PLAIN allowed on this connection right now? */
  plaintextAllowed(): boolean;
  /** Verified credentials: open the maildrop and enter TRANSACTION (replies itself). */
  login(user: string): Promise<void>;
  /** A failed authentication: reply, count it, close after too many (replies itself). */
  authFailed(): Promise<void>;
  /** Throw away bytes the client pipelined after the current command (STLS). */
  discardInput(): void;
  /** Log an unexpected error with where it happened. */
  bug(where: string, err: unknown): void;
  /** Flush and close the connection. */
  close(): Promise<void>;
}

export interface Pop3Command {
  readonly name: string;
  readonly states: readonly Pop3State[];
  /** `args` split on spaces; `rest` is everything after the keyword and one space. */
  run(ctx: Pop3Context, args: string[], rest: string): Promise<void>;
}
