/**
 * Builds the one Config object: YAML file (optional) + overrides, validated by configSchema,
 * paths made absolute, then frozen. Problems are reported all at once, one line each
 * (see errors.ts), so an operator fixes a file in one pass.
 *
 * Where the file comes from: the `path` argument, else COLUMBA_CONFIG, else HOME/columba.yaml
 * when it exists, else built-in defaults only.
 * Home: the file's `home` (relative to the file's folder), else COLUMBA_HOME, else ./var;
 * always made absolute against the working directory.
 * Other relative paths (auth.passwdFile, storage.fsRoot, storage.metacache, tls.cert, tls.key)
 * are resolved against home; the null "under home" defaults are filled in, except tls (null
 * there means "generate a self-signed pair").
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { configSchema, type Config } from './schema.ts';
import { ConfigError, formatIssues } from './errors.ts';

export { ConfigError } from './errors.ts';

/** A partial config tree, merged over the file before validation. */
export type ConfigOverrides = { [key: string]: unknown };

export const CONFIG_FILE_NAME = 'columba.yaml';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge of plain objects; arrays and scalars in `over` replace. */
export function mergeConfig(base: Record<string, unknown>, over: ConfigOverrides): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeConfig(prev, value) : value;
  }
  return out;
}

/** The file loadConfig would read when given no path, or null. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.COLUMBA_CONFIG) return resolve(env.COLUMBA_CONFIG);
  const home = resolve(env.COLUMBA_HOME ?? './var');
  const candidate = join(home, CONFIG_FILE_NAME);
  return existsSync(candidate) ? candidate : null;
}

/** Parse YAML text into a plain object; syntax problems become ConfigError lines. */
export function parseConfigText(text: string, source: string): Record<string, unknown> {
  // prettyErrors fills linePos (and appends a snippet to the message, which we cut off).
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return `${pos ? `line ${pos.line}, column ${pos.col}` : 'yaml'}: ${message}`;
    });
    throw new ConfigError(problems, source);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError([`(top level): expected a mapping, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`], source);
  }
  return value;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}`], path);
  }
  return parseConfigText(text, path);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Validate a raw tree (already merged) and resolve its paths; throws ConfigError. */
export function buildConfig(
  raw: Record<string, unknown>,
  opts: { source?: string; baseDir?: string; env?: NodeJS.ProcessEnv } = {},
): Config {
  const env = opts.env ?? process.env;
  const source = opts.source ?? 'built-in defaults';
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(formatIssues(configSchema, result.error.issues, raw), source);
  const config = result.data;
  // The schema's default reads COLUMBA_HOME at import time; read it again now (tests change it).
  const homeRaw = typeof raw.home === 'string' ? raw.home : (env.COLUMBA_HOME ?? './var');
  const home = typeof raw.home === 'string' && opts.baseDir ? resolve(opts.baseDir, homeRaw) : resolve(homeRaw);
  const underHome = (p: string | null, fallback: string | null): string | null => {
    if (p === null) return fallback === null ? null : join(home, fallback);
    return isAbsolute(p) ? p : resolve(home, p);
  };
  config.home = home;
  config.auth.passwdFile = underHome(config.auth.passwdFile, 'users');
  config.storage.fsRoot = underHome(config.storage.fsRoot, 'storage');
  config.storage.metacache = underHome(config.storage.metacache, 'metacache');
  config.tls.cert = underHome(config.tls.cert, null);
  config.tls.key = underHome(config.tls.key, null);
  return deepFreeze(config);
}

/**
 * Load, validate and freeze the configuration. Throws ConfigError listing every problem.
 * `overrides` are merged over the file (deeply; arrays replace).
 */
export function loadConfig(path?: string | null, overrides: ConfigOverrides = {}): Config {
  const file = path ? resolve(path) : defaultConfigPath();
  const raw = file ? readConfigFile(file) : {};
  return buildConfig(mergeConfig(raw, overrides), {
    source: file ?? 'built-in defaults',
    baseDir: file ? dirname(file) : undefined,
  });
}
