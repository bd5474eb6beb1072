/**
 * One IMAP connection: greeting, the state machine, a queue of pipelined requests run one at a
 * time in order, and the only writer to the Transport. Parsing runs ahead of execution (up to
 * `limits.imapCommandsInFlight` requests, then the socket is paused), except after commands
 * that change how the following bytes must be read (LOGIN, AUTHENTICATE, STARTTLS, IDLE, ...).
 */
import type { Logger } from 'pino';
import type { Config } from '../../core/config/schema.ts';
import type { MailboxView, UserMailStore } from '../../core/storage/mail-store.ts';
import type { ProtocolSession, ServerContext, SessionFactory, Transport } from '../net/types.ts';
import { capabilityList } from './capabilities.ts';
import { HANDLERS } from './commands/index.ts';
import { completionForError } from './error-map.ts';
import { createWireSource } from './receiver-adapter.ts';
import type { RequestSource, RequestSourceFactory } from './request-source.ts';
import { STATE_WORDING, type Chunk, type Completion, type ImapContext, type SessionState, type TransportWrapper } from './types.ts';
import { keywordLines, updateLines } from './updates.ts';
import { condstoreOn, qresyncOn } from './qresync.ts';
import { contextUpdates, snapshotContexts } from './search-context.ts';
import { fetchNewMessages, stopNotify, takeNotifyLines, watchNotify } from './notify.ts';
import type { ImapRequest } from './wire/commands.ts';

/** Untagged output is written once this much has gathered (or at the command's end). */
const OUT_BATCH_BYTES = 64 * 1024;
/** Buffers at least this large (message literals) are written as they are, not copied. */
const COPY_LIMIT = 16 * 1024;

/** Join runs of text and small buffers into one buffer; keep large buffers apart. */
function coalesce(chunks: Chunk[]): Buffer[] {
  const out: Buffer[] = [];
  let run: Buffer[] = [];
  let text = '';
  const endText = (): void => {
    if (text) run.push(Buffer.from(text, 'utf8')), (text = '');
  };
  const end = (): void => {
    endText();
    if (run.length > 0) out.push(run.length === 1 ? run[0]! : Buffer.concat(run));
    run = [];
  };
  for (const c of chunks) {
    if (typeof c === 'string') text += c;
    else if (c.length >= COPY_LIMIT) end(), out.push(c);
    else endText(), run.push(c);
  }
  end();
  return out;
}

type QueueItem =
  | { kind: 'request'; request: ImapRequest }
  | { kind: 'error'; tag: string | null; response: 'BAD' | 'NO'; text: string; code: string | null; fatal: boolean };

export interface ImapSessionOptions {
  /** Where requests come from; defaults to the wire receiver. */
  source?: RequestSourceFactory;
}

class ImapSession implements ProtocolSession, ImapContext {
  readonly config: Config;
  state: SessionState = 'not-authenticated';
  user: string | null = null;
  mail: UserMailStore | null = null;
  view: MailboxView | null = null;
  readonly enabled = new Set<string>();
  readonly knownKeywords = new Set<string>();
  clientId: Record<string, string | null> | null = null;
  authFailures = 0;

  private source: RequestSource;
  /** Set by wrapTransport (COMPRESS): raw input goes here instead of straight to the source. */
  private inputLayer: ((chunk: Buffer) => void) | null = null;
  private readonly queue: QueueItem[] = [];
  private running = false;
  /** A queued command needs the input stream untouched until it completes. */
  private barrier = false;
  private lineWaiter: ((line: string | null) => void) | null = null;
  /** A synchronizing literal was announced; `+` goes out once earlier commands are answered. */
  private literalWaiting = false;
  /** A command handler is running (between dequeue and its tagged reply). */
  private executing = false;
  private paused = false;
  private closed = false;
  private cleaned = false;
  private releaseUser: (() => void) | null = null;
  private writeChain: Promise<void> = Promise.resolve();
  private outQueue: Chunk[] = [];
  private outSize = 0;
  private childLog: Logger | null = null;

  constructor(
    public transport: Transport,
    readonly server: ServerContext,
    /** Null: the wire receiver (no factory closure kept per connection). */
    private readonly makeSource: RequestSourceFactory | null,
  ) {
    this.config = server.config;
    this.source = this.newSource(false);
    transport.setIdleTimeout(this.config.limits.preAuthIdleSeconds);
    void this.send(`* OK [CAPABILITY ${this.capabilities().join(' ')}] Columba ready.\r\n`);
  }

  /**
   * The session's logger, made on first use: most idle connections never log, and a pino child
   * per connection costs about a kilobyte of heap.
   */
  get log(): Logger {
    return (this.childLog ??= this.server.log.child({ proto: 'imap', remote: this.transport.remoteAddress }));
  }

  // ---- ProtocolSession -------------------------------------------------------------------

  onData(chunk: Buffer): void {
    if (this.closed) return;
    // COMPRESS: raw bytes go through the layer, which calls receive() with what they decode to.
    if (this.inputLayer) return this.inputLayer(chunk);
    this.receive(chunk);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.transport.setIdleTimeout(this.idleSeconds());
    this.source.push(chunk);
    this.pump();
  }

  onClose(): void {
    this.closed = true;
    this.queue.length = 0;
    this.resolveLine(null);
    if (!this.running) void this.cleanup();
  }

  onIdleTimeout(): void {
    void this.goodbye('Autologout; idle too long');
  }

  async onShutdown(): Promise<void> {
    await this.goodbye('Server shutting down');
  }

  // ---- ImapContext -----------------------------------------------------------------------

  untagged(...chunks: Chunk[]): Promise<void> {
    return this.batch(['* ', ...chunks, '\r\n']);
  }

  continuation(text: string): Promise<void> {
    return this.send(`+ ${text}\r\n`);
  }

  readLine(): Promise<string | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.lineWaiter = resolve;
      this.source.setRawLineMode(true);
      this.pump();
    });
  }

  async reportUpdates(allowExpunge: boolean): Promise<void> {
    await this.gatherUpdates(allowExpunge);
    await this.flush();
  }

  /**
   * Queues the pending updates without writing them: at the end of a command they go out with
   * the tagged reply in one write (IDLE's reportUpdates flushes them itself).
   */
  private async gatherUpdates(allowExpunge: boolean): Promise<void> {
    await this.reportViewUpdates(allowExpunge);
    if (this.closed) return;
    // NOTIFY (RFC 5465): STATUS / LIST for other mailboxes; allowed wherever untagged output is.
    const notes = await takeNotifyLines(this);
    if (notes.length > 0) await this.batch([notes.map((l) => `* ${l}\r\n`).join('')]);
  }

  private async reportViewUpdates(allowExpunge: boolean): Promise<void> {
    // sync() applies expunges too, so when they may not be sent nothing may be synced.
    if (!this.view || !allowExpunge || this.closed) return;
    const before = this.view.count();
    const snap = snapshotContexts(this.view);
    const update = this.view.sync();
    // New messages may carry keywords the client has not been told about yet.
    const fresh: number[] = [];
    for (let seq = before - update.expunged.length + 1; seq <= this.view.count(); seq++) fresh.push(seq);
    const lines = keywordLines(this, [...update.flagsChanged, ...fresh]);
    // CONTEXT=SEARCH: REMOVEFROM by sequence number precedes the EXPUNGEs, ADDTO follows EXISTS.
    const live = await contextUpdates(this.view, snap).catch((err: unknown) => {
      this.log.error({ err }, 'imap: search context update failed');
      return { beforeExpunge: [], after: [] };
    });
    lines.push(...live.beforeExpunge, ...updateLines(this.view, update, { condstore: condstoreOn(this), qresync: qresyncOn(this) }), ...live.after);
    if (lines.length > 0) await this.batch([lines.map((l) => `* ${l}\r\n`).join('')]);
    if (update.exists !== null) await fetchNewMessages(this, before - update.expunged.length + 1, this.view.count());
  }

  async authenticate(user: string): Promise<Completion | null> {
    const release = this.server.connections.acquireUser(user);
    if (!release) return { status: 'NO', code: 'LIMIT', text: 'Too many connections for this user' };
    try {
      this.mail = await this.server.store.openUser(user);
    } catch (err) {
      release();
      return completionForError(err, { command: 'LOGIN' }, this.log);
    }
    if (this.closed) {
      // The client left while the store opened: undo at once.
      release();
      await this.mail.release().catch(() => undefined);
      this.mail = null;
      return { status: 'NO', text: 'Connection closed' };
    }
    this.releaseUser = release;
    this.user = user;
    this.state = 'authenticated';
    this.source.setAuthenticated(true);
    this.transport.setIdleTimeout(this.idleSeconds());
    return null;
  }

  async deselect(): Promise<void> {
    const view = this.view;
    this.view = null;
    if (this.state === 'selected') this.state = 'authenticated';
    if (view) await view.close();
  }

  capabilities(): string[] {
    return capabilityList(this.config, this.transport, this.state);
  }

  watchView(listener: () => void): () => void {
    const unwatchView = this.view ? this.view.onChange(listener) : () => undefined;
    const unwatchNotify = watchNotify(this, listener);
    return () => (unwatchView(), unwatchNotify());
  }

  setUtf8Accept(on: boolean): void {
    this.source.setUtf8Accept?.(on);
  }

  wrapTransport(wrap: TransportWrapper): void {
    const layer = wrap(this.transport, (chunk) => this.receive(chunk));
    this.transport = layer;
    this.inputLayer = (chunk) => layer.input(chunk);
  }

  resetInput(): void {
    this.source = this.newSource(this.state !== 'not-authenticated');
  }

  private newSource(authenticated: boolean): RequestSource {
    return this.makeSource ? this.makeSource(authenticated) : createWireSource(this.config.limits, authenticated);
  }

  // ---- input: parse ahead, queue, flow control ---------------------------------------------

  private pump(): void {
    while (!this.closed) {
      if (this.literalWaiting) {
        // Ask for a literal only once everything before it is answered, as a serial server would.
        if (this.executing || this.queue.length > 0) break;
        this.literalWaiting = false;
        void this.continuation('Ready for literal data');
        continue;
      }
      if (this.lineWaiter) {
        const ev = this.source.next();
        if (ev.type === 'need-more') break;
        if (ev.type === 'line') this.resolveLine(ev.line);
        else if (ev.type === 'error') this.resolveLine('');
        continue;
      }
      if (this.barrier || this.queue.length >= this.config.limits.imapCommandsInFlight) break;
      const ev = this.source.next();
      if (ev.type === 'need-more') break;
      if (ev.type === 'request') {
        this.queue.push({ kind: 'request', request: ev.request });
        const handler = HANDLERS.get(ev.request.command.name);
        if (handler?.flags.barrier) this.barrier = true;
      } else if (ev.type === 'need-continuation') {
        this.literalWaiting = true;
      } else if (ev.type === 'error') {
        const { tag, response, text, code, fatal } = ev;
        this.queue.push({ kind: 'error', tag, response, text, code, fatal });
        if (ev.fatal) this.barrier = true;
      }
    }
    this.flowControl();
    if (!this.running && this.queue.length > 0) void this.drain();
  }

  private flowControl(): void {
    const stop =
      !this.closed &&
      !this.lineWaiter &&
      (this.barrier || this.queue.length >= this.config.limits.imapCommandsInFlight);
    if (stop && !this.paused) (this.paused = true), this.transport.pause();
    else if (!stop && this.paused) (this.paused = false), this.transport.resume();
  }

  private resolveLine(line: string | null): void {
    const waiter = this.lineWaiter;
    if (!waiter) return;
    this.lineWaiter = null;
    if (!this.closed) this.source.setRawLineMode(false);
    waiter(line);
  }

  // ---- execution ---------------------------------------------------------------------------

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closed && this.state !== 'logout') {
        const item = this.queue.shift()!;
        this.executing = true;
        try {
          if (item.kind === 'error') await this.answerParseError(item);
          else await this.execute(item.request);
        } finally {
          this.executing = false;
        }
        if (item.kind === 'request' && HANDLERS.get(item.request.command.name)?.flags.barrier) this.barrier = false;
        this.pump();
      }
    } finally {
      this.running = false;
      if (this.closed) await this.cleanup();
    }
  }

  private async answerParseError(item: Extract<QueueItem, { kind: 'error' }>): Promise<void> {
    const code = item.code ? `[${item.code}] ` : '';
    await this.send(`${item.tag ?? '*'} ${item.response} ${code}${item.text}\r\n`);
    if (item.fatal) {
      await this.goodbye('Too much trouble parsing the command stream');
    }
  }

  private async execute(request: ImapRequest): Promise<void> {
    const { tag, command } = request;
    const handler = HANDLERS.get(command.name);
    let completion: Completion;
    let usesSeq = false;
    if (!handler) {
      completion = { status: 'BAD', text: `Unknown command ${command.name}` };
    } else if (!handler.states.includes(this.state)) {
      completion = { status: 'BAD', text: `${command.name} not allowed in the ${STATE_WORDING[this.state]}` };
    } else {
      usesSeq = handler.flags.usesSequenceNumbers(command);
      try {
        completion = await handler.run(this, command as never, tag);
      } catch (err) {
        completion = completionForError(err, { command: command.name }, this.log);
      }
    }
    try {
      await this.gatherUpdates(!usesSeq);
    } catch (err) {
      this.log.error({ err }, 'imap: view sync failed');
    }
    const code = completion.code ? `[${completion.code}] ` : '';
    await this.send(`${tag} ${completion.status} ${code}${completion.text}\r\n`);
    if (completion.after) {
      try {
        await completion.after();
      } catch (err) {
        this.log.warn({ err, command: command.name }, 'imap: post-completion step failed');
        await this.closeConnection();
      }
    }
  }

  // ---- output and teardown -----------------------------------------------------------------

  /**
   * Untagged responses are batched (FETCH 1:* on a big mailbox is one write per ~64 KB, not one
   * per message); everything else flushes the batch first, so order is kept.
   */
  private batch(chunks: Chunk[]): Promise<void> {
    for (const c of chunks) {
      this.outQueue.push(c);
      // Characters, not bytes, for text: close enough for a batching threshold.
      this.outSize += c.length;
    }
    return this.outSize >= OUT_BATCH_BYTES ? this.flush() : Promise.resolve();
  }

  /** Ordered writes; each waits for the socket to drain before the next goes out. */
  private send(data: string | Chunk[]): Promise<void> {
    void this.batch(typeof data === 'string' ? [data] : data);
    return this.flush();
  }

  private flush(): Promise<void> {
    if (this.outQueue.length === 0) return this.writeChain;
    const parts = coalesce(this.outQueue.splice(0));
    this.outSize = 0;
    this.writeChain = this.writeChain.then(async () => {
      for (const part of parts) {
        if (this.closed) return;
        try {
          await this.transport.write(part);
        } catch {
          // The connection is gone; onClose follows.
          return;
        }
      }
    });
    return this.writeChain;
  }

  private idleSeconds(): number {
    const l = this.config.limits;
    return this.state === 'not-authenticated' ? l.preAuthIdleSeconds : l.imapIdleSeconds;
  }

  /** `* BYE text`, then close. Used by LOGOUT-free endings (timeouts, shutdown, too many errors). */
  async goodbye(text: string): Promise<void> {
    if (this.closed || this.state === 'logout') return;
    this.state = 'logout';
    await this.send(`* BYE ${text}\r\n`);
    await this.closeConnection();
  }

  async closeConnection(): Promise<void> {
    this.state = 'logout';
    await this.flush();
    this.resolveLine(null);
    await this.transport.close().catch(() => undefined);
    this.closed = true;
    if (!this.running) await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    this.closed = true;
    stopNotify(this);
    const view = this.view;
    const mail = this.mail;
    this.view = null;
    this.mail = null;
    try {
      if (view) await view.close();
      if (mail) await mail.release();
    } catch (err) {
      this.log.warn({ err }, 'imap: releasing the mail store failed');
    } finally {
      this.releaseUser?.();
      this.releaseUser = null;
    }
  }
}

/** A session factory with an injectable request source (tests); production uses the wire one. */
export function createImapSessionWith(options: ImapSessionOptions = {}): SessionFactory {
  const make = options.source;
  return (transport, ctx) => new ImapSession(transport, ctx, make ?? null);
}

export const createImapSession: SessionFactory = createImapSessionWith();
