/**
 * The server's TLS material: tls.cert + tls.key when configured, otherwise a self-signed pair
 * generated once under HOME/tls (2048-bit RSA, CN = host name, SAN localhost and 127.0.0.1) and
 * reused on later starts, so clients that pinned it keep working.
 * The RSA key comes from node:crypto (native, fast); `selfsigned` only builds the certificate.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import selfsigned from 'selfsigned';
import type { Config } from './config/schema.ts';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  secureContext: tls.SecureContext;
  /** Where the PEMs came from. */
  source: 'configured' | 'generated' | 'reused';
  certPath: string;
  keyPath: string;
}

export class TlsConfigError extends Error {
  readonly code = 'TLS_CONFIG';
}

/** Paths of the generated pair. */
export function generatedTlsPaths(home: string): { certPath: string; keyPath: string } {
  const dir = join(home, 'tls');
  return { certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') };
}

/** A self-signed certificate for `cn` (pure function: no files). */
export function generateSelfSigned(cn: string, days = 3650): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const altNames = [
    { type: 2, value: cn },
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ];
  // `keyPair` is accepted by selfsigned 2.x but missing from its typings.
  const opts = {
    days,
    algorithm: 'sha256',
    keySize: 2048,
    keyPair: { publicKey, privateKey },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  } as Parameters<typeof selfsigned.generate>[1];
  const pems = selfsigned.generate([{ name: 'commonName', value: cn }], opts);
  return { certPem: pems.cert, keyPem: privateKey };
}

function writeNew(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

function makeContext(certPem: string, keyPem: string, where: string): tls.SecureContext {
  try {
    return tls.createSecureContext({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' });
  } catch (err) {
    throw new TlsConfigError(`TLS certificate/key unusable (${where}): ${(err as Error).message}`);
  }
}

/** Load the configured pair or create/reuse the generated one. Throws TlsConfigError. */
export function loadTlsMaterial(config: Config, host: string = osHostname()): TlsMaterial {
  const { cert, key } = config.tls;
  if ((cert === null) !== (key === null)) {
    throw new TlsConfigError('tls.cert and tls.key must be set together (or both left null for a generated pair)');
  }
  if (cert !== null && key !== null) {
    let certPem: string, keyPem: string;
    try {
      certPem = readFileSync(cert, 'utf8');
      keyPem = readFileSync(key, 'utf8');
    } catch (err) {
      throw new TlsConfigError(`cannot read TLS files: ${(err as Error).message}`);
    }
    return { certPem, keyPem, secureContext: makeContext(certPem, keyPem, cert), source: 'configured', certPath: cert, keyPath: key };
  }
  const { certPath, keyPath } = generatedTlsPaths(config.home);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    return { certPem, keyPem, secureContext: makeContext(certPem, keyPem, certPath), source: 'reused', certPath, keyPath };
  }
  mkdirSync(join(config.home, 'tls'), { recursive: true, mode: 0o700 });
  const { certPem, keyPem } = generateSelfSigned(host);
  writeNew(keyPath, keyPem, 0o600);
  writeNew(certPath, certPem, 0o644);
  return { certPem, keyPem, secureContext: makeContext(certPem, keyPem, certPath), source: 'generated', certPath, keyPath };
}

/** SHA-256 fingerprint, printed at start so operators can pin it. */
export function certFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
