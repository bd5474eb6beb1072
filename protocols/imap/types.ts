/**
 * What an IMAP command handler sees: the session state it may read and change, and the few
 * ways it may talk to the client. Handlers never touch the Transport's write directly; every
 * byte goes through the session's ordered writer (back-pressure is awaited there).
 */
import type { Logger } from 'pino';
import type { Config } from '../../core/config/schema.ts';
import type { MailboxView, UserMailStore } from '../../core/storage/mail-store.ts';
import type { ServerContext, Transport } from '../net/types.ts';
import type { ImapCommand, ImapCommandName } from './wire/commands.ts';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Human wording of a state, used in "wrong state" BAD replies. */
export const STATE_WORDING: Record<SessionState, string> = {
  'not-authenticated': 'not authenticated state (log in first)',
  authenticated: 'authenticated state (no mailbox selected)',
  selected: 'selected state',
  logout: 'logout state',
};

export type CompletionStatus = 'OK' | 'NO' | 'BAD';

/** The tagged completion of a command. `code` is a response code without brackets. */
export interface Completion {
  status: CompletionStatus;
  code?: string;
  text: string;
  /** Runs after the tagged line is written (STARTTLS handshake, LOGOUT close). */
  after?: () => Promise<void>;
}

/** A chunk of a response line: text is written as UTF-8, Buffers as they are (literals). */
export type Chunk = string | Buffer;

export interface ImapContext {
  readonly server: ServerContext;
  readonly config: Config;
  readonly transport: Transport;
  readonly log: Logger;
  state: SessionState;
  user: string | null;
  mail: UserMailStore | null;
  view: MailboxView | null;
  /** Extensions turned on by ENABLE (upper case), e.g. CONDSTORE. */
  readonly enabled: Set<string>;
  /** Keywords the client was told about in FLAGS (since SELECT). */
  readonly knownKeywords: Set<string>;
  /** Client ID parameters (ID command), for logging. */
  clientId: Record<string, string | null> | null;
  authFailures: number;
  /** Write `* ` + chunks + CRLF. */
  untagged(...chunks: Chunk[]): Promise<void>;
  /** Write `+ text` CRLF. */
  continuation(text: string): Promise<void>;
  /** Next raw line from the client (without CRLF); null when the connection closed. */
  readLine(): Promise<string | null>;
  /** Report what changed in the selected mailbox (EXISTS, EXPUNGE, RECENT, FETCH FLAGS). */
  reportUpdates(allowExpunge: boolean): Promise<void>;
  /** Become authenticated as `user` (connection slot + store); returns a failure or null. */
  authenticate(user: string): Promise<Completion | null>;
  /** Deselect (no expunge) and return to the authenticated state. */
  deselect(): Promise<void>;
  /** Current capability list (depends on state and connection). */
  capabilities(): string[];
  /** Register a listener for IDLE; returns the unsubscribe. */
  watchView(listener: () => void): () => void;
  /** ENABLE UTF8=ACCEPT / IMAP4rev2: parse later mailbox names as UTF-8 (RFC 6855 3). */
  setUtf8Accept?(on: boolean): void;
  /** Forget buffered input and start a fresh receiver (after the STARTTLS handshake). */
  resetInput(): void;
  /** Put a layer (COMPRESS) between the session and its connection; see TransportWrapper. */
  wrapTransport(wrap: TransportWrapper): void;
  /** `* BYE text` then close the connection. */
  goodbye(text: string): Promise<void>;
  /** Flush pending output and close the connection. */
  closeConnection(): Promise<void>;
}

/**
 * Builds a layer over the current transport: the session writes to the returned Transport from
 * then on, passes raw input to its `input`, and the layer calls `deliver` with decoded bytes.
 */
export type TransportWrapper = (
  inner: Transport,
  deliver: (chunk: Buffer) => void,
) => Transport & { input(chunk: Buffer): void };

/** Dispatcher flags a handler declares. */
export interface CommandFlags {
  /**
   * True when the command (in this form) addresses messages by sequence number, so no
   * EXPUNGE may be sent while it runs or right after it (RFC 3501 7.4.1).
   */
  usesSequenceNumbers: (cmd: ImapCommand) => boolean;
  /** Parsing must stop after this command until it completed (raw lines or TLS follow). */
  barrier?: boolean;
}

export interface CommandHandler<N extends ImapCommandName = ImapCommandName> {
  name: N;
  states: readonly SessionState[];
  flags: CommandFlags;
  run(ctx: ImapContext, cmd: Extract<ImapCommand, { name: N }>, tag: string): Promise<Completion>;
}

export const NEVER_SEQ = (): boolean => false;

/** Helpers for the common completions. */
export const ok = (text: string, code?: string): Completion => ({ status: 'OK', text, code });
export const no = (text: string, code?: string): Completion => ({ status: 'NO', text, code });
export const bad = (text: string, code?: string): Completion => ({ status: 'BAD', text, code });
