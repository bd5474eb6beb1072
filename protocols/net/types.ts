/**
 * The contract between the listeners (protocols/net) and the protocol sessions.
 * A session never sees the raw socket: it gets bytes through `onData` and writes through the
 * Transport, whose `write` resolves when the socket has drained (back-pressure).
 */
import type { Config } from '../../core/config/schema.ts';
import type { Authenticator } from '../../core/auth/types.ts';
import type { MailStoreProvider } from '../../core/storage/mail-store.ts';
import type { Logger } from 'pino';

export interface Transport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localPort: number;
  /** True once TLS is active (implicit TLS port or after STARTTLS/STLS). */
  readonly secure: boolean;
  /** 127.0.0.0/8 or ::1: exempt from disablePlaintextAuth. */
  readonly loopback: boolean;
  /** Whether a TLS context is configured, so STARTTLS can be offered. */
  readonly tlsAvailable: boolean;
  /** Queue bytes; resolves when the socket buffer has room again. */
  write(data: string | Uint8Array): Promise<void>;
  /**
   * Switch to TLS. Call after writing the "go ahead" reply; bytes already received after the
   * command are discarded (STARTTLS command injection, CVE-2011-0411 class).
   */
  startTls(): Promise<void>;
  /** Stop delivering data to onData until resume() (used while a command runs). */
  pause(): void;
  resume(): void;
  /** Flush what is queued, then close. */
  close(): Promise<void>;
  /** (Re)arm the idle timer; on expiry the session's onIdleTimeout runs. */
  setIdleTimeout(seconds: number): void;
}

/** Per-user connection accounting (connectionsPerUser). */
export interface ConnectionRegistry {
  /** Returns a release function, or null when the user is at the limit. */
  acquireUser(user: string): (() => void) | null;
}

export interface ServerContext {
  config: Config;
  auth: Authenticator;
  store: MailStoreProvider;
  log: Logger;
  connections: ConnectionRegistry;
  /** Host name used in greetings. */
  hostname: string;
}

export interface ProtocolSession {
  /** Bytes from the client, in order. */
  onData(chunk: Buffer): void;
  /** The connection is gone (client closed or error). Release everything; write nothing. */
  onClose(): void;
  /** The idle timer fired: say goodbye the protocol's way and close. */
  onIdleTimeout(): void;
  /** The server is shutting down: say goodbye the protocol's way and close. */
  onShutdown(): Promise<void>;
}

export type SessionFactory = (transport: Transport, ctx: ServerContext) => ProtocolSession;
