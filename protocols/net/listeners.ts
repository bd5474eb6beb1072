/**
 * TCP listeners for imap, imaps, pop3, pop3s and lmtp on listen.host. Port 0 picks a free port,
 * null disables a listener; `ports` reports what was bound. imaps/pop3s do implicit TLS before
 * the session exists. The per-IP limit (limits.connectionsPerIp) is checked at accept time: a
 * connection over it is closed without a word (the protocols have no common refusal line, and
 * an abusive peer deserves none).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ProtocolSession, ServerContext, SessionFactory } from './types.ts';
import { SocketTransport } from './transport.ts';
import { CountingLimiter } from './connection-registry.ts';

export const LISTENER_NAMES = ['imap', 'imaps', 'pop3', 'pop3s', 'lmtp'] as const;
export type ListenerName = (typeof LISTENER_NAMES)[number];
export type ListenerPorts = Record<ListenerName, number | null>;

export interface SessionFactories {
  imap?: SessionFactory;
  pop3?: SessionFactory;
  lmtp?: SessionFactory;
}

export interface ListenerOptions {
  /** TLS context for imaps/pop3s and STARTTLS; null disables both. */
  secureContext: tls.SecureContext | null;
}

export interface Listeners {
  host: string;
  ports: ListenerPorts;
  /** Live connections (sessions) right now. */
  connectionCount(): number;
  /** Close the listening sockets; live sessions keep running. */
  stopAccepting(): Promise<void>;
  /**
   * Stop accepting, ask every session to say goodbye (onShutdown), and destroy those not
   * closed after `graceMs`. Resolves when every connection is gone.
   */
  shutdown(graceMs?: number): Promise<void>;
}

const PROTOCOL_OF: Record<ListenerName, keyof SessionFactories> = {
  imap: 'imap',
  imaps: 'imap',
  pop3: 'pop3',
  pop3s: 'pop3',
  lmtp: 'lmtp',
};
const IMPLICIT_TLS: Record<ListenerName, boolean> = { imap: false, imaps: true, pop3: false, pop3s: true, lmtp: false };

/**
 * One live connection. A class with a bound `ended` rather than closures and a promise per
 * connection: an idle connection keeps all of them for its whole life. `closed()` makes its
 * promise only when shutdown asks.
 */
class Live {
  transport!: SocketTransport;
  session!: ProtocolSession;
  readonly ended: () => void;
  private gone = false;
  private waiters: Array<() => void> | null = null;

  constructor(
    private readonly release: () => void,
    private readonly live: Set<Live>,
  ) {
    this.ended = this.onEnded.bind(this);
  }

  /** Resolves once the transport is closed. */
  closed(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => (this.waiters ??= []).push(resolve));
  }

  private onEnded(): void {
    if (this.gone) return;
    this.gone = true;
    this.release();
    this.live.delete(this);
    for (const w of this.waiters ?? []) w();
    this.waiters = null;
  }
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Shared no-op 'error' listener (one function for every socket, not a closure each). */
function ignoreError(): void {}

export async function startListeners(ctx: ServerContext, factories: SessionFactories, opts: ListenerOptions): Promise<Listeners> {
  const { config, log } = ctx;
  const host = config.listen.host;
  const perIp = new CountingLimiter(config.limits.connectionsPerIp);
  const live = new Set<Live>();
  /** Implicit-TLS connections still in their handshake (no session yet). */
  const handshaking = new Set<tls.TLSSocket>();
  const servers: net.Server[] = [];
  const ports: ListenerPorts = { imap: null, imaps: null, pop3: null, pop3s: null, lmtp: null };
  let accepting = true;

  function startSession(name: ListenerName, factory: SessionFactory, socket: net.Socket, secure: boolean, release: () => void): void {
    const idleSeconds = name === 'lmtp' ? config.limits.lmtpIdleSeconds : config.limits.preAuthIdleSeconds;
    const entry = new Live(release, live);
    const transport = new SocketTransport(socket, { secure, secureContext: opts.secureContext, idleSeconds, log, onClosed: entry.ended });
    entry.transport = transport;
    try {
      entry.session = factory(transport, ctx);
    } catch (err) {
      log.error({ err, listener: name }, 'session factory failed; connection dropped');
      release();
      socket.destroy();
      return;
    }
    live.add(entry);
    transport.attach(entry.session);
  }

  function onConnection(name: ListenerName, factory: SessionFactory, socket: net.Socket): void {
    const ip = socket.remoteAddress ?? '';
    const release = accepting ? perIp.acquire(ip) : null;
    if (!release) {
      if (accepting) log.warn({ ip, listener: name, limit: config.limits.connectionsPerIp }, 'per-IP connection limit reached; connection dropped');
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('error', ignoreError); // reported by the transport once it exists; never crash the process
    if (!IMPLICIT_TLS[name]) {
      startSession(name, factory, socket, false, release);
      return;
    }
    const secured = new tls.TLSSocket(socket, { isServer: true, secureContext: opts.secureContext! });
    let started = false;
    handshaking.add(secured);
    const handshakeTimer = setTimeout(() => secured.destroy(), config.limits.preAuthIdleSeconds * 1000 || 60_000);
    secured.on('error', (err) => log.debug({ ip, err: err.message, listener: name }, 'TLS handshake failed'));
    secured.once('close', () => {
      clearTimeout(handshakeTimer);
      handshaking.delete(secured);
      if (!started) release();
    });
    secured.once('secure', () => {
      clearTimeout(handshakeTimer);
      handshaking.delete(secured);
      if (!accepting) {
        secured.destroy();
        return;
      }
      started = true;
      startSession(name, factory, secured, true, release);
    });
  }

  try {
    for (const name of LISTENER_NAMES) {
      const port = config.listen[name];
      if (port === null) continue;
      const factory = factories[PROTOCOL_OF[name]];
      if (!factory) {
        log.warn({ listener: name }, `no ${PROTOCOL_OF[name]} session module available; ${name} listener not started`);
        continue;
      }
      if (IMPLICIT_TLS[name] && !opts.secureContext) {
        log.warn({ listener: name }, `no TLS context; ${name} listener not started`);
        continue;
      }
      const server = net.createServer({ pauseOnConnect: false }, (socket) => onConnection(name, factory, socket));
      server.on('error', (err) => log.error({ err, listener: name }, 'listener error'));
      servers.push(server);
      ports[name] = await listen(server, port, host);
    }
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }

  /** Stop accepting and resolve when every connection of every listener is gone. */
  const closeServers = async (): Promise<void> => {
    accepting = false;
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  };

  return {
    host,
    ports,
    connectionCount: () => live.size,
    // Does not wait for server.close()'s callback: that fires only once every session is gone.
    stopAccepting: async () => {
      accepting = false;
      for (const s of servers) if (s.listening) s.close();
    },
    async shutdown(graceMs = 5000): Promise<void> {
      const closing = closeServers();
      // Half-open TLS handshakes have no session to say goodbye; server.close() would wait for them.
      for (const s of handshaking) s.destroy();
      const entries = [...live];
      await Promise.all(
        entries.map(async (e) => {
          const timer = setTimeout(() => e.transport.destroy(), graceMs);
          try {
            await Promise.race([e.session.onShutdown(), e.closed()]);
            // The session said goodbye; give the peer the grace period to read it.
            if (!e.transport.isClosed) await Promise.race([e.transport.close(), e.closed()]);
          } catch (err) {
            log.warn({ err }, 'session onShutdown failed');
            e.transport.destroy();
          }
          await e.closed();
          clearTimeout(timer);
        }),
      );
      await closing;
    },
  };
}
