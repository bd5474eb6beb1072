/** Shared setup for storage tests: a config under a fresh temp home. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../core/config/schema.ts';

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'columba-storage-'));
}

export function testConfig(over: { quota?: Partial<Config['quota']>; storage?: Partial<Config['storage']>; limits?: Partial<Config['limits']>; home?: string } = {}): Config {
  return configSchema.parse({
    home: over.home ?? tempHome(),
    quota: over.quota ?? {},
    storage: over.storage ?? {},
    limits: over.limits ?? {},
  });
}

export const msg = (subject: string, body = 'hello'): Buffer =>
  Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: ${subject}\r\n\r\n${body}\r\n`);
