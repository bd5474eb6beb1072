/**
 * One POP3 connection (RFC 1939 states AUTHORIZATION -> TRANSACTION -> UPDATE). Bytes go into
 * the line parser; a single pump runs commands one at a time in arrival order (pipelining,
 * RFC 2449) and pauses the transport while it works, so a flood of pipelined commands stays in
 * the kernel's buffers instead of ours. All writes go through the transport and are awaited.
 */
import { randomBytes } from 'node:crypto';
import { LineSession } from '../net/line-session.ts';
import type { ProtocolSession, ServerContext, SessionFactory, Transport } from '../net/types.ts';
import { pop3Commands } from './commands/index.ts';
import type { Pop3Context, Pop3State } from './commands/types.ts';
import { openMaildrop } from './login.ts';
import type { Maildrop } from './maildrop.ts';
import { pop3ReplyForError } from './storage-errors.ts';
import { Pop3LineParser, printable, splitCommand, type Pop3ParseEvent } from './wire/line-parser.ts';

export const POP3_GREETING = '+OK Columba POP3 ready.';

let sessionCounter = 0;

class Pop3Session extends LineSession<Pop3ParseEvent> implements ProtocolSession, Pop3Context {
  readonly id = `pop3-${process.pid}-${++sessionCounter}-${randomBytes(3).toString('hex')}`;
  state: Pop3State = 'AUTHORIZATION';
  pendingUser: string | null = null;
  maildrop: Maildrop | null = null;
  private authFailures = 0;
  private dataWaiter: (() => void) | null = null;
  private readonly parser: Pop3LineParser;

  constructor(
    transport: Transport,
    readonly server: ServerContext,
  ) {
    super(transport);
    this.parser = new Pop3LineParser(server.config.limits.pop3LineLength);
    transport.setIdleTimeout(server.config.limits.preAuthIdleSeconds);
    // A greeting that cannot be written means the peer is gone; onClose will follow.
    this.greeted = this.reply(POP3_GREETING).catch(() => undefined);
  }

  // ---- ProtocolSession ----

  onData(chunk: Buffer): void {
    if (this.isClosed) return;
    this.parser.push(chunk);
    if (this.dataWaiter) this.wake();
    else void this.pump();
  }

  onClose(): void {
    if (this.isClosed && !this.maildrop) return;
    this.isClosed = true;
    this.wake();
    // A running command (QUIT committing, a RETR reading) finishes first; the pump disposes after it.
    if (!this.running) void this.disposeMaildrop();
  }

  onIdleTimeout(): void {
    // QUIT is committing: the wait is ours, not the client's; let the commit finish and answer.
    if (this.state === 'UPDATE') return this.transport.setIdleTimeout(this.server.config.limits.pop3IdleSeconds);
    void this.goodbye('-ERR Disconnected for inactivity.');
  }

  onShutdown(): Promise<void> {
    return this.goodbye('-ERR Server shutting down.');
  }

  // ---- Pop3Context ----

  async reply(line: string): Promise<void> {
    await this.write(line + '\r\n');
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.isClosed) return;
    await this.transport.write(data);
  }

  async readLine(): Promise<string | null> {
    for (;;) {
      if (this.isClosed) return null;
      const event = this.parser.next();
      if (event.type === 'line') return event.line;
      // An unreadable continuation (overlong, NUL) is a malformed response: it fails the exchange.
      if (event.type === 'error') return '';
      this.transport.resume();
      await new Promise<void>((resolve) => (this.dataWaiter = resolve));
      this.transport.pause();
    }
  }

  plaintextAllowed(): boolean {
    return !this.server.config.auth.disablePlaintextAuth || this.transport.secure || this.transport.loopback;
  }

  async login(user: string): Promise<void> {
    const result = await openMaildrop(this.server, user, this.id, () => this.isClosed, (w, e) => this.bug(w, e));
    if (!result.ok) {
      if (result.reply) await this.reply(result.reply);
      return;
    }
    if (this.isClosed) return void (await result.maildrop.dispose());
    this.maildrop = result.maildrop;
    this.state = 'TRANSACTION';
    this.pendingUser = null;
    await this.reply('+OK Logged in.');
  }

  async authFailed(): Promise<void> {
    this.authFailures++;
    await this.reply('-ERR [AUTH] Authentication failed.');
    if (this.authFailures >= this.server.config.limits.authFailuresPerConnection) await this.close();
  }

  discardInput(): void {
    this.parser.discardBuffered();
  }

  bug(where: string, err: unknown): void {
    this.server.log.error({ err, where, session: this.id }, 'unexpected error in POP3 session');
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.wake();
    // While a command runs (QUIT committing) the pump disposes once it is done.
    if (!this.running) await this.disposeMaildrop();
    await this.transport.close();
  }

  /** Give back the maildrop's resources without committing anything. */
  private async disposeMaildrop(): Promise<void> {
    const maildrop = this.maildrop;
    this.maildrop = null;
    if (maildrop) await maildrop.dispose();
  }

  // ---- internals ----

  private wake(): void {
    const waiter = this.dataWaiter;
    this.dataWaiter = null;
    waiter?.();
  }

  // ---- LineSession ----

  protected nextEvent(): Pop3ParseEvent {
    return this.parser.next();
  }

  protected handleEvent(event: Pop3ParseEvent): Promise<void> {
    if (event.type === 'error') return this.reply(`-ERR ${event.message}`);
    return event.type === 'line' ? this.dispatch(event.line) : Promise.resolve();
  }

  protected afterEvent(): void {
    this.armIdleTimer();
  }

  protected async crashed(err: unknown): Promise<void> {
    this.bug('pop3 pump', err);
    await this.close();
  }

  protected releaseHeld(): Promise<void> {
    return this.disposeMaildrop();
  }

  private armIdleTimer(): void {
    if (this.isClosed) return;
    const limits = this.server.config.limits;
    this.transport.setIdleTimeout(this.state === 'AUTHORIZATION' ? limits.preAuthIdleSeconds : limits.pop3IdleSeconds);
  }

  private async dispatch(line: string): Promise<void> {
    const { name, args, rest } = splitCommand(line);
    if (name === '') return this.reply('-ERR Empty command.');
    const command = pop3Commands.get(name);
    if (!command) return this.reply(`-ERR Unknown command: ${printable(name)}`);
    if (!command.states.includes(this.state)) {
      return this.reply(this.state === 'AUTHORIZATION' ? '-ERR Not logged in.' : '-ERR Already logged in.');
    }
    try {
      await command.run(this, args, rest);
    } catch (err) {
      const failure = pop3ReplyForError(err);
      if (failure.unexpected) this.bug(`pop3 ${name}`, err);
      await this.reply(failure.reply);
    }
  }
}

/** The POP3 SessionFactory the listener calls for each accepted connection. */
export const createPop3Session: SessionFactory = (transport, ctx) => new Pop3Session(transport, ctx);
