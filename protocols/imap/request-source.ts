/**
 * What the session needs from the wire receiver, in the session's own terms. The adapter in
 * receiver-adapter.ts maps protocols/imap/wire's ImapReceiver onto it; tests may plug in
 * anything that behaves the same.
 */
import type { ImapRequest } from './wire/commands.ts';

export type SourceEvent =
  /** A complete tagged request. */
  | { type: 'request'; request: ImapRequest }
  /** A synchronizing literal is announced: the client waits for `+`. */
  | { type: 'need-continuation' }
  /**
   * A request that could not be parsed. `tag` when the receiver could read one. `fatal` when
   * the stream cannot be resynchronized and the connection must end (e.g. literal too big).
   */
  | { type: 'error'; tag: string | null; response: 'BAD' | 'NO'; text: string; code: string | null; fatal: boolean }
  /** Raw-line mode only (IDLE's DONE, AUTHENTICATE responses): one line without CRLF. */
  | { type: 'line'; line: string }
  | { type: 'need-more' };

export interface RequestSource {
  push(chunk: Buffer): void;
  next(): SourceEvent;
  setRawLineMode(on: boolean): void;
  setAuthenticated(on: boolean): void;
  /** UTF8=ACCEPT / IMAP4rev2: mailbox names in later commands are UTF-8, not modified UTF-7. */
  setUtf8Accept?(on: boolean): void;
}

export type RequestSourceFactory = (authenticated: boolean) => RequestSource;
