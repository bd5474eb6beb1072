/**
 * What the LMTP and POP3 sessions share: one pump that takes the parser's events in arrival
 * order (pipelining keeps the order of replies) and pauses the transport while a command runs,
 * so that pipelined input waits in the kernel's buffers instead of ours; and the goodbye path
 * (a last line, then close). A subclass says how an event is read and handled, what follows
 * each one (idle timers), what an internal error answers, and what it gives back once the
 * connection is gone and no command runs any more.
 */
import type { Transport } from './types.ts';

export abstract class LineSession<E extends { type: string }> {
  protected isClosed = false;
  /** A command is being handled (the pump is inside handleEvent or about to be). */
  protected running = false;
  /** The greeting's write: the pump handles nothing before it. */
  protected greeted: Promise<void> = Promise.resolve();

  constructor(readonly transport: Transport) {}

  get closed(): boolean {
    return this.isClosed;
  }

  abstract reply(line: string): Promise<void>;
  abstract close(): Promise<void>;
  /** The next parsed event; `{ type: 'need-more' }` when the input holds no complete one. */
  protected abstract nextEvent(): E;
  protected abstract handleEvent(event: E): Promise<void>;
  /** After each event while the connection is open. */
  protected abstract afterEvent(): void;
  /** A handler threw: report it and end the session. */
  protected abstract crashed(err: unknown): Promise<void>;
  /** The connection is gone and no command runs: give back what the session holds. */
  protected abstract releaseHeld(): Promise<void>;

  protected async goodbye(line: string): Promise<void> {
    if (this.isClosed) return;
    await this.reply(line);
    await this.close();
  }

  protected async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.transport.pause();
    try {
      await this.greeted;
      while (!this.isClosed) {
        const event = this.nextEvent();
        if (event.type === 'need-more') break;
        await this.handleEvent(event);
        if (!this.isClosed) this.afterEvent();
      }
    } catch (err) {
      await this.crashed(err).catch(() => undefined);
    } finally {
      this.running = false;
      if (!this.isClosed) this.transport.resume();
      else await this.releaseHeld();
    }
  }
}
