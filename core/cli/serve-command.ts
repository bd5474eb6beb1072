/**
 * `columba serve`: start the server, print one line per listener, stop cleanly on SIGINT or
 * SIGTERM (a second signal exits at once). The listener lines are a stable format that
 * test/helpers/server.ts parses:  `imap listening on 127.0.0.1:1143`, then `columba ready`.
 */
import { startColumba } from '../server.ts';
import { certFingerprint } from '../tls.ts';
import { LISTENER_NAMES } from '../../protocols/net/listeners.ts';
import type { Config } from '../config/schema.ts';

export async function serve(config: Config, configFile: string | undefined): Promise<void> {
  const server = await startColumba(config);
  const out: string[] = [];
  for (const name of LISTENER_NAMES) {
    const port = server.ports[name];
    out.push(port === null ? `${name} disabled` : `${name} listening on ${server.host}:${port}`);
  }
  if (server.metricsPort !== null) out.push(`metrics listening on ${config.metrics.listen?.replace(/:\d+$/, '')}:${server.metricsPort}`);
  const cfg = configFile ? ` --config ${configFile}` : '';
  out.push(`tls ${server.tls.source} ${server.tls.certPath} sha256 ${certFingerprint(server.tls.certPem)}`);
  out.push(`home ${config.home}`);
  out.push(`users ${config.auth.passwdFile}`);
  out.push(`add a user: npx columba user add NAME${cfg}   (password read from stdin, or --password PASS)`);
  out.push('columba ready');
  process.stdout.write(out.join('\n') + '\n');

  let signals = 0;
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        server.log.warn({ signal: sig }, 'second signal: exiting now');
        process.exit(1);
      }
      server.log.info({ signal: sig }, 'stopping on signal');
      server.stop().then(resolve, (err) => {
        server.log.error({ err }, 'stop failed');
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write('columba stopped\n');
}
