/**
 * Server bootstrap: wires config → logger, authenticator, TLS, worker pool, object store, mail
 * store and protocol sessions, then opens the listeners. Modules written by colleagues are
 * loaded dynamically (see modules.ts) so a missing or broken protocol module costs only its
 * listener, logged, not the whole server.
 *
 * stop(): stop accepting, every session's onShutdown() (IMAP says `* BYE`), then close the mail
 * store (journals flushed), the worker pool and the object store. Idempotent.
 */
import { mkdirSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import { createLogger } from './log/logger.ts';
import { createAuthenticator } from './auth/authenticator.ts';
import { loadTlsMaterial, certFingerprint, type TlsMaterial } from './tls.ts';
import { startListeners, type ListenerPorts, type SessionFactories } from '../protocols/net/listeners.ts';
import { createConnectionRegistry } from '../protocols/net/connection-registry.ts';
import type { ServerContext } from '../protocols/net/types.ts';
import type { MailStoreProvider } from './storage/mail-store.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { loadServerModules, type ServerModules, type WorkerPoolLike } from './server-modules.ts';
import { createServerMetrics } from './metrics/registry.ts';
import { instrumentAuthenticator, instrumentMailStore } from './metrics/instrument.ts';
import { startMetricsListener } from './metrics/http.ts';

export interface ColumbaServer {
  host: string;
  /** Bound ports; null for a disabled (or unavailable) listener. */
  ports: ListenerPorts;
  config: Config;
  log: Logger;
  tls: TlsMaterial;
  /** Live connections across all listeners. */
  connectionCount(): number;
  /** Bound port of the metrics listener (config metrics.listen); null when off. */
  metricsPort: number | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Replace dynamically loaded modules (tests). */
  modules?: Partial<ServerModules>;
  /** How long sessions get to say goodbye at stop() before they are cut (default 5 s). */
  shutdownGraceMs?: number;
}

export async function startColumba(config: Config, opts: StartOptions = {}): Promise<ColumbaServer> {
  const log = opts.log ?? createLogger(config);
  mkdirSync(config.home, { recursive: true });
  const tls = loadTlsMaterial(config);
  log.info({ source: tls.source, cert: tls.certPath, sha256: certFingerprint(tls.certPem) }, 'TLS certificate');

  const modules = { ...(await loadServerModules(log)), ...opts.modules };
  const auth = createAuthenticator(config, log);

  // Everything opened below is closed again if a later step fails.
  const undo: (() => Promise<void>)[] = [];
  const unwind = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch((err) => log.error({ err }, 'cleanup step failed'));
  };

  try {
    let pool: WorkerPoolLike | null = null;
    if (modules.createWorkerPool) {
      pool = await modules.createWorkerPool(config);
      const started = pool;
      undo.push(() => started.close());
      log.info({ threads: pool.threads }, 'worker pool started');
    } else {
      log.warn('worker pool module unavailable: CPU work runs inline on the event loop');
    }

    if (!modules.createMailStore || !modules.createObjectStore) {
      throw new Error('mail store modules unavailable (core/storage/mail-store-impl.ts, core/storage/drivers/*)');
    }
    const objects: ObjectStore = modules.createObjectStore(config);
    undo.push(() => objects.close());
    const metrics = createServerMetrics(objects);
    const store: MailStoreProvider = instrumentMailStore(modules.createMailStore({ config, objects, log, codec: pool?.codec }), metrics);
    undo.push(() => store.close());
    let metricsPort: number | null = null;
    if (config.metrics.listen !== null) {
      const ml = await startMetricsListener(config.metrics.listen, metrics, log);
      metricsPort = ml.port;
      undo.push(() => ml.close());
    }

    const ctx: ServerContext = {
      config,
      auth: instrumentAuthenticator(auth, metrics),
      store,
      log,
      connections: createConnectionRegistry(config.limits.connectionsPerUser),
      hostname: osHostname(),
    };
    const factories: SessionFactories = {
      imap: modules.imapSession ?? undefined,
      pop3: modules.pop3Session ?? undefined,
      lmtp: modules.lmtpSession ?? undefined,
    };
    const listeners = await startListeners(ctx, factories, { secureContext: tls.secureContext });
    log.info({ host: listeners.host, ports: listeners.ports, storage: objects.driver }, 'columba started');

    let stopping: Promise<void> | null = null;
    return {
      host: listeners.host,
      ports: listeners.ports,
      config,
      log,
      tls,
      connectionCount: () => listeners.connectionCount(),
      metricsPort,
      stop(): Promise<void> {
        stopping ??= (async () => {
          log.info('columba stopping');
          await listeners.shutdown(opts.shutdownGraceMs ?? 5000);
          await unwind();
          log.info('columba stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
