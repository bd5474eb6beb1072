/**
 * `columba serve` as a child process on a home the caller keeps across restarts (the storage
 * bench restarts the server to measure cold and warm logins), with the metrics listener on.
 * Scrapes /metrics into a flat map `name{labels}` → value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnColumbaServe } from '../load/columba-serve.ts';

export interface ServerProcess {
  imap: number;
  lmtp: number;
  metricsUrl: string;
  scrape(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/** Write `home/columba.yaml` from a YAML body (the caller's storage and upload settings). */
export function writeServerConfig(home: string, yaml: string): string {
  const file = join(home, 'columba.yaml');
  writeFileSync(
    file,
    `home: ${home}\nlog:\n  level: warn\nlisten:\n  host: 127.0.0.1\n  imap: 0\n  imaps: null\n  pop3: null\n  pop3s: null\n  lmtp: 0\n` +
      `metrics:\n  listen: "127.0.0.1:0"\nauth:\n  passwdFile: ${join(home, 'users')}\n  failureDelayMs: 0\n${yaml}`,
  );
  return file;
}

export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

export async function startServer(home: string, configFile: string): Promise<ServerProcess> {
  const server = await spawnColumbaServe({ configFile, home, env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  const port = (name: string): number => {
    const p = server.ports[name];
    if (p === undefined) throw new Error(`no ${name} listener:\n${server.output()}`);
    return p;
  };
  const metricsUrl = `http://127.0.0.1:${port('metrics')}/metrics`;
  return {
    imap: port('imap'),
    lmtp: port('lmtp'),
    metricsUrl,
    async scrape() {
      return parseMetrics(await (await fetch(metricsUrl)).text());
    },
    stop: server.stop,
  };
}
