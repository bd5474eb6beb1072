/**
 * Starts s3rver in a child process for tests: 127.0.0.1, a free port, a temp directory, one
 * bucket. It runs under --openssl-legacy-provider because s3rver's DES continuation tokens make
 * paginated ListObjectsV2 answer 500 on Node 20 otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3rverHandle {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

const child = `
const S3rver = require(process.argv[1]);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2],
  configureBuckets: [{ name: process.argv[3] }] });
server.run().then((addr) => process.stdout.write('PORT ' + addr.port + '\\n'),
  (err) => { console.error(err); process.exit(1); });
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

export async function startS3rver(bucket = 'columba-test'): Promise<S3rverHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'columba-s3rver-'));
  const main = createRequire(import.meta.url).resolve('s3rver');
  const proc: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', child, main, dir, bucket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh bucket on the test server (s3rver accepts any credentials). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}
