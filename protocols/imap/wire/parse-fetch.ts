/**
 * FETCH / UID FETCH: `FETCH set (attributes) [(CHANGEDSINCE n)]`, macros ALL/FAST/FULL
 * expanded, `BODY[section]<start.count>`, `BODY.PEEK[...]` and RFC 3516's `BINARY[...]`,
 * `BINARY.PEEK[...]`, `BINARY.SIZE[...]` into typed attributes.
 */
import type { SectionSpec } from '../../../core/mail/types.ts';
import type { FetchAttribute, ImapCommand } from './commands.ts';
import type { Token } from './tokenizer.ts';
import { Args, CommandError, clip, parseNumber, tokenAstring } from './parse-args.ts';

const SIMPLE: Record<string, FetchAttribute['type']> = {
  UID: 'UID',
  FLAGS: 'FLAGS',
  INTERNALDATE: 'INTERNALDATE',
  'RFC822.SIZE': 'RFC822.SIZE',
  ENVELOPE: 'ENVELOPE',
  BODY: 'BODY',
  BODYSTRUCTURE: 'BODYSTRUCTURE',
  RFC822: 'RFC822',
  'RFC822.HEADER': 'RFC822.HEADER',
  'RFC822.TEXT': 'RFC822.TEXT',
  MODSEQ: 'MODSEQ',
  SAVEDATE: 'SAVEDATE',
  EMAILID: 'EMAILID',
  THREADID: 'THREADID',
};

const FAST = ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'] as const;
const MACROS: Record<string, readonly string[]> = {
  FAST,
  ALL: [...FAST, 'ENVELOPE'],
  FULL: [...FAST, 'ENVELOPE', 'BODY'],
};

export function parseFetch(args: Args, uid: boolean): ImapCommand {
  const set = args.seqSet();
  const first = args.next('fetch attributes');
  let attributes: FetchAttribute[];
  const macro = first.type === 'atom' ? MACROS[first.value.toUpperCase()] : undefined;
  if (macro) attributes = macro.map((name) => ({ type: SIMPLE[name]! }) as FetchAttribute);
  else if (first.type === 'list') {
    if (first.items.length === 0) throw new CommandError('Empty fetch attribute list');
    attributes = parseAttributeList(first.items);
  } else if (isPreviewName(first)) {
    // `FETCH 1 PREVIEW (LAZY)`: the list belongs to PREVIEW, not to the fetch modifiers.
    const next = args.peek();
    const mods = next && next.type === 'list' && looksLikePreviewModifiers(next.items) ? args.list('preview modifiers') : null;
    attributes = [previewAttribute(first, mods)];
  } else attributes = [parseAttribute(first)];

  let changedSince: number | null = null;
  let vanished = false;
  if (args.more()) {
    const mods = args.sub(args.list('fetch modifiers'));
    while (mods.more()) {
      const name = mods.keyword('fetch modifier');
      if (name === 'CHANGEDSINCE' && changedSince === null) {
        changedSince = mods.modseq('CHANGEDSINCE value');
        // RFC 7162 grammar: mod-sequence-value is 1 or more.
        if (changedSince === 0) throw new CommandError('Invalid CHANGEDSINCE value: must not be 0');
      } else if (name === 'VANISHED' && !vanished) vanished = true;
      else throw new CommandError(`Unknown or repeated fetch modifier ${clip(name)}`);
    }
  }
  args.end();
  if (vanished) {
    // RFC 7162 3.2.6: VANISHED only on UID FETCH and only together with CHANGEDSINCE.
    if (!uid) throw new CommandError('VANISHED is only allowed with UID FETCH');
    if (changedSince === null) throw new CommandError('VANISHED requires CHANGEDSINCE');
    return { name: 'FETCH', uid, set, attributes, changedSince, vanished };
  }
  return { name: 'FETCH', uid, set, attributes, changedSince };
}

/** Attributes of a parenthesised list; PREVIEW and SNIPPET may take the next list as modifiers. */
function parseAttributeList(items: Token[]): FetchAttribute[] {
  const out: FetchAttribute[] = [];
  for (let i = 0; i < items.length; i++) {
    const t = items[i]!;
    if (isPreviewName(t)) {
      const next = items[i + 1];
      const mods = next && next.type === 'list' ? (i++, next.items) : null;
      out.push(previewAttribute(t, mods));
    } else out.push(parseAttribute(t));
  }
  return out;
}

function isPreviewName(t: Token): boolean {
  return t.type === 'atom' && (t.value.toUpperCase() === 'PREVIEW' || t.value.toUpperCase() === 'SNIPPET');
}

function looksLikePreviewModifiers(items: Token[]): boolean {
  return items.length > 0 && items.every((m) => m.type === 'atom' && /^(LAZY|FUZZY)$/i.test(m.value));
}

/**
 * RFC 8970: `PREVIEW` or `PREVIEW (LAZY)`. Dovecot's draft syntax: `SNIPPET (FUZZY)` and
 * `PREVIEW (FUZZY)`; a bare SNIPPET means FUZZY, its only algorithm.
 */
function previewAttribute(t: Token, mods: Token[] | null): FetchAttribute {
  const item = (t as { value: string }).value.toUpperCase() as 'PREVIEW' | 'SNIPPET';
  let fuzzy = item === 'SNIPPET';
  if (mods === null) return { type: 'PREVIEW', item, fuzzy };
  if (mods.length === 0) throw new CommandError(`Empty ${item} modifier list`);
  const seen = new Set<string>();
  for (const m of mods) {
    const name = m.type === 'atom' ? m.value.toUpperCase() : '';
    const allowed = item === 'PREVIEW' ? name === 'LAZY' || name === 'FUZZY' : name === 'FUZZY';
    if (!allowed || seen.has(name)) throw new CommandError(`Unknown or repeated ${item} modifier ${m.type === 'atom' ? clip(m.value) : ''}`.trim());
    seen.add(name);
  }
  if (seen.has('LAZY') && seen.has('FUZZY')) throw new CommandError('PREVIEW takes LAZY or FUZZY, not both');
  fuzzy = seen.has('FUZZY');
  return { type: 'PREVIEW', item, fuzzy };
}

function parseAttribute(t: Token): FetchAttribute {
  if (t.type === 'atom') {
    const name = t.value.toUpperCase();
    const type = SIMPLE[name];
    if (type) return { type } as FetchAttribute;
    if (MACROS[name]) throw new CommandError(`${name} is a macro and cannot be used in a list`);
    throw new CommandError(`Unknown fetch attribute ${clip(t.value)}`);
  }
  if (t.type === 'section') {
    if (t.name.startsWith('BINARY')) return binaryAttribute(t.name, t.items, t.partial);
    if (t.name !== 'BODY' && t.name !== 'BODY.PEEK') throw new CommandError(`Unsupported fetch attribute ${t.name}`);
    const { section, label } = parseSection(t.items);
    return { type: 'BODY[]', peek: t.name === 'BODY.PEEK', section, partial: parsePartial(t.partial), label };
  }
  throw new CommandError('Invalid fetch attribute');
}

/** RFC 3516: `BINARY[1.2]<0.100>`, `BINARY.PEEK[...]`, `BINARY.SIZE[...]`; part numbers only. */
function binaryAttribute(name: string, items: Token[], partial: string | null): FetchAttribute {
  const { section } = parseSection(items);
  if (section.kind !== '') throw new CommandError(`Invalid ${name} section: part numbers only`);
  if (name === 'BINARY.SIZE') {
    if (partial !== null) throw new CommandError('BINARY.SIZE takes no partial');
    return { type: 'BINARY.SIZE', part: section.part };
  }
  return { type: 'BINARY[]', peek: name === 'BINARY.PEEK', part: section.part, partial: parsePartial(partial) };
}

const KINDS = new Set(['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME']);
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** The inside of `[...]`: `1.2.HEADER.FIELDS (From To)` and friends. */
export function parseSection(items: Token[]): { section: SectionSpec; label: string } {
  if (items.length === 0) return { section: { part: [], kind: '' }, label: '' };
  const head = items[0]!;
  if (head.type !== 'atom') throw new CommandError('Invalid section');
  const pieces = head.value.toUpperCase().split('.');
  const part: number[] = [];
  while (pieces.length > 0 && /^[0-9]+$/.test(pieces[0]!)) {
    const n = parseNumber(pieces.shift()!, 'section part');
    if (n === 0) throw new CommandError('Invalid section: part number 0');
    part.push(n);
  }
  const kindText = pieces.join('.');
  // `1.` leaves one empty piece: a trailing dot is not a section.
  if ((kindText === '' && pieces.length > 0) || (kindText !== '' && !KINDS.has(kindText))) throw new CommandError(`Invalid section ${clip(head.value)}`);
  const kind = kindText as SectionSpec['kind'];
  if (kind === 'MIME' && part.length === 0) throw new CommandError('Invalid section: MIME needs a part number');
  const prefix = part.length > 0 ? part.join('.') + (kind ? '.' : '') : '';
  if (kind === 'HEADER.FIELDS' || kind === 'HEADER.FIELDS.NOT') {
    const list = items[1];
    if (!list || list.type !== 'list' || list.items.length === 0 || items.length > 2) {
      throw new CommandError(`Invalid section: ${kind} needs a list of header names`);
    }
    const fields = list.items.map((f) => {
      const name = tokenAstring(f, 'header field name');
      if (!FIELD_NAME.test(name)) throw new CommandError(`Invalid header field name ${clip(name)}`);
      return name;
    });
    return { section: { part, kind, fields }, label: `${prefix}${kind} (${fields.join(' ')})` };
  }
  if (items.length > 1) throw new CommandError('Invalid section: unexpected arguments');
  return { section: { part, kind }, label: prefix + kind };
}

/** `<start.count>`; count must be non-zero. */
function parsePartial(text: string | null): { start: number; length: number } | null {
  if (text === null) return null;
  const m = /^([0-9]{1,10})\.([0-9]{1,10})$/.exec(text);
  if (!m) throw new CommandError('Invalid partial: expected <start.count>');
  const start = parseNumber(m[1]!, 'partial start');
  const length = parseNumber(m[2]!, 'partial length');
  if (length === 0) throw new CommandError('Invalid partial: count must not be 0');
  return { start, length };
}
