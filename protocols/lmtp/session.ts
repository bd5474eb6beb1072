/**
 * One LMTP connection (RFC 2033). Bytes go into the parser; one pump handles events in order
 * (PIPELINING: replies keep the order of commands) and pauses the transport while it works.
 * Transactions hold user stores from RCPT until delivery; every exit path gives them back.
 */
import { randomBytes } from 'node:crypto';
import { LineSession } from '../net/line-session.ts';
import type { ProtocolSession, ServerContext, SessionFactory, Transport } from '../net/types.ts';
import { finishData, receiveChunk } from './commands/data.ts';
import { lmtpCommands } from './commands/index.ts';
import type { LmtpContext } from './commands/types.ts';
import { StoreKeeper } from './store-keeper.ts';
import type { Transaction } from './transaction.ts';
import { LmtpParser, type LmtpEvent } from './wire/parser.ts';

let sessionCounter = 0;
/** Stores held between transactions (see StoreKeeper): per connection, and for how long. */
const KEPT_STORES = 16;
const KEEP_STORE_MS = 2000;

class LmtpSession extends LineSession<LmtpEvent> implements ProtocolSession, LmtpContext {
  readonly id = `lmtp-${process.pid}-${++sessionCounter}-${randomBytes(3).toString('hex')}`;
  lhloDone = false;
  tx: Transaction | null = null;
  readonly stores: StoreKeeper;
  /** Appends are under way: an idle timeout now would lose acknowledged-to-be work. */
  private delivering = false;
  private readonly parser: LmtpParser;

  constructor(
    transport: Transport,
    readonly server: ServerContext,
  ) {
    super(transport);
    const limits = server.config.limits;
    this.parser = new LmtpParser({
      lineLength: limits.lmtpLineLength,
      dataLineLength: limits.lmtpDataLineLength,
      messageSize: limits.messageSize,
    });
    transport.setIdleTimeout(limits.lmtpIdleSeconds);
    this.stores = new StoreKeeper((user) => server.store.openUser(user), { max: KEPT_STORES, holdMs: KEEP_STORE_MS });
    this.greeted = this.reply(`220 ${server.hostname} Columba LMTP ready`).catch(() => undefined);
  }

  onData(chunk: Buffer): void {
    if (this.isClosed) return;
    this.parser.push(chunk);
    void this.pump();
  }

  onClose(): void {
    this.isClosed = true;
    // A running command (a delivery mid-append) finishes first; the pump releases after it.
    if (!this.running) void this.resetTransaction();
  }

  onIdleTimeout(): void {
    // The wait is the store's, not the client's; closing now would make the MTA deliver twice.
    if (this.delivering) return this.transport.setIdleTimeout(this.server.config.limits.lmtpIdleSeconds);
    void this.goodbye(`421 4.4.2 ${this.server.hostname} Idle timeout, closing connection`);
  }

  onShutdown(): Promise<void> {
    return this.goodbye(`421 4.3.2 ${this.server.hostname} Server shutting down`);
  }

  async reply(...lines: string[]): Promise<void> {
    if (this.isClosed || lines.length === 0) return;
    await this.transport.write(lines.join('\r\n') + '\r\n');
  }

  async resetTransaction(): Promise<void> {
    const tx = this.tx;
    this.tx = null;
    if (tx) await tx.release((r) => this.stores.keep(r.user, r.store));
    // After the connection is gone nothing is kept (keep() then releases at once).
    if (this.isClosed) await this.stores.close();
  }

  beginData(): void {
    this.parser.beginData();
  }

  bug(where: string, err: unknown): void {
    this.server.log.error({ err, where, session: this.id }, 'unexpected error in LMTP session');
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    // Held stores are no transaction's: they go now. While a command runs (appends in flight)
    // the pump releases the transaction's stores once it is done.
    await this.stores.close();
    if (!this.running) await this.resetTransaction();
    await this.transport.close();
  }

  // ---- LineSession ----

  protected nextEvent(): LmtpEvent {
    return this.parser.next();
  }

  protected handleEvent(event: LmtpEvent): Promise<void> {
    return event.type === 'need-more' ? Promise.resolve() : this.handle(event);
  }

  protected afterEvent(): void {
    this.transport.setIdleTimeout(this.server.config.limits.lmtpIdleSeconds);
  }

  protected async crashed(err: unknown): Promise<void> {
    this.bug('lmtp pump', err);
    await this.goodbye('421 4.3.0 Internal error, closing connection');
  }

  protected releaseHeld(): Promise<void> {
    return this.resetTransaction();
  }

  private async whileDelivering(work: () => Promise<void>): Promise<void> {
    this.delivering = true;
    try {
      await work();
    } finally {
      this.delivering = false;
    }
  }

  private async handle(event: Exclude<LmtpEvent, { type: 'need-more' }>): Promise<void> {
    switch (event.type) {
      case 'error':
        return this.reply(event.reply);
      case 'data':
        return this.whileDelivering(() => finishData(this, event));
      case 'bdat':
        return this.whileDelivering(() => receiveChunk(this, event));
      case 'command': {
        const command = lmtpCommands.get(event.verb);
        if (!command) return this.reply('500 5.5.2 Unknown command');
        return command.run(this, event.args);
      }
    }
  }
}

/** The LMTP SessionFactory the listener calls for each accepted connection. */
export const createLmtpSession: SessionFactory = (transport, ctx) => new LmtpSession(transport, ctx);
