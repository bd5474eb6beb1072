/**
 * Turns zod validation issues into one readable line per problem:
 *   `listen.imap: expected a port number 0-65535, got "abc"`
 *   `listen.imapp: unknown key`
 * The expected part comes from the schema's `.describe()` text when there is one, so the
 * message speaks the operator's language rather than zod's.
 */
import { z } from 'zod';

/** Thrown by loadConfig; `problems` holds one line per problem. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid configuration (${source}):\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Path = (string | number)[];

/** Unwrap defaults, nullables and optionals, collecting the first description seen. */
function unwrap(schema: z.ZodTypeAny): { inner: z.ZodTypeAny; description?: string } {
  let description = schema.description;
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s._def.innerType;
    else if (s instanceof z.ZodEffects) s = s._def.schema;
    else break;
    description ??= s.description;
  }
  return { inner: s, description };
}

/** The schema node at `path`, or null when the path leaves the schema. */
export function schemaAt(root: z.ZodTypeAny, path: Path): { inner: z.ZodTypeAny; description?: string } | null {
  let node = unwrap(root);
  for (const key of path) {
    const s = node.inner;
    if (s instanceof z.ZodObject && typeof key === 'string') {
      const child = (s.shape as Record<string, z.ZodTypeAny>)[key];
      if (!child) return null;
      node = unwrap(child);
    } else if (s instanceof z.ZodArray) {
      node = unwrap(s.element);
    } else return null;
  }
  return node;
}

function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** How a found value is shown: JSON for scalars, a word for the rest. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function joinPath(path: Path): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function expectedFromIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'object') return 'a mapping';
      if (issue.expected === 'array') return 'a list';
      if (issue.expected === 'integer') return 'an integer';
      return `a ${issue.expected}`;
    case 'invalid_enum_value':
      return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'invalid_literal':
      return JSON.stringify(issue.expected);
    case 'too_small':
      return `a ${issue.type === 'number' ? 'number' : issue.type} ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `a ${issue.type === 'number' ? 'number' : issue.type} ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.multipleOf)}`;
    default:
      return issue.message.toLowerCase();
  }
}

/** One line per problem, naming the key path, what was expected and what was found. */
export function formatIssues(root: z.ZodTypeAny, issues: z.ZodIssue[], input: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${joinPath([...issue.path, key])}: unknown key`);
      continue;
    }
    const node = schemaAt(root, issue.path);
    // The schema node knows the whole expectation (type and range); the issue knows one facet.
    const expected = node?.description ?? (node && describeNumber(node.inner)) ?? expectedFromIssue(issue);
    lines.push(`${joinPath(issue.path)}: expected ${expected}, got ${showValue(valueAt(input, issue.path))}`);
  }
  return lines;
}

function describeNumber(s: z.ZodTypeAny): string | null {
  if (!(s instanceof z.ZodNumber)) return null;
  const isInt = s.isInt;
  const min = s.minValue;
  const max = s.maxValue;
  const noun = isInt ? 'an integer' : 'a number';
  if (min !== null && max !== null) return `${noun} ${min}-${max}`;
  if (min !== null) return `${noun} >= ${min}`;
  if (max !== null) return `${noun} <= ${max}`;
  return noun;
}
