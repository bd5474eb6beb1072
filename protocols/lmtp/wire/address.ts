/**
 * MAIL FROM / RCPT TO arguments (RFC 5321 section 4.1.2): `FROM:<path> [params]`. Lenient
 * where real MTAs are (a space after the colon, a source route to ignore), strict where it
 * matters: the path must be bracketed, characters are printable ASCII (we do not offer
 * SMTPUTF8, so 8-bit or broken UTF-8 is refused), quoted local parts are understood.
 */

export interface Mailbox {
  /** The address as the client wrote it inside the brackets (source route removed). */
  text: string;
  /** The local part without quoting. Empty for the null path. */
  local: string;
  /** Lower-cased domain; empty when none was given. */
  domain: string;
}

export type PathParse =
  | { ok: true; mailbox: Mailbox; params: Array<[string, string | null]> }
  | { ok: false; problem: 'syntax' | 'address' | 'non-ascii' };

/** Parse `<keyword>:<path> params` where keyword is FROM or TO. */
export function parsePathArgument(args: string, keyword: 'FROM' | 'TO', allowNull: boolean): PathParse {
  const colon = args.indexOf(':');
  if (colon < 0 || args.slice(0, colon).trim().toUpperCase() !== keyword) return { ok: false, problem: 'syntax' };
  const rest = args.slice(colon + 1).replace(/^ +/, '');
  if (!rest.startsWith('<')) return { ok: false, problem: 'syntax' };
  const close = findClosingBracket(rest);
  if (close < 0) return { ok: false, problem: 'syntax' };
  const inner = rest.slice(1, close);
  const after = rest.slice(close + 1);
  if (after.length > 0 && !after.startsWith(' ')) return { ok: false, problem: 'syntax' };
  // eslint-disable-next-line no-control-regex
  if (/[^\x20-\x7e]/.test(inner)) return { ok: false, problem: /[^\x00-\x7f]/.test(inner) ? 'non-ascii' : 'address' };
  const params = parseParams(after);
  if (!params) return { ok: false, problem: 'syntax' };
  if (inner === '') return allowNull ? { ok: true, mailbox: { text: '', local: '', domain: '' }, params } : { ok: false, problem: 'address' };
  const mailbox = parseMailbox(stripSourceRoute(inner));
  return mailbox ? { ok: true, mailbox, params } : { ok: false, problem: 'address' };
}

/** Index of the '>' ending the path, skipping quoted strings; -1 when missing. */
function findClosingBracket(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '>') return i;
  }
  return -1;
}

/** `@a,@b:user@d` -> `user@d` (RFC 5321 says to accept and ignore source routes). */
function stripSourceRoute(path: string): string {
  if (!path.startsWith('@')) return path;
  const colon = path.indexOf(':');
  return colon < 0 ? path : path.slice(colon + 1);
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_STRING = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[\x21-\x5a\x5e-\x7e]+\])$/;

function parseMailbox(text: string): Mailbox | null {
  let local: string;
  let rest: string;
  if (text.startsWith('"')) {
    let i = 1;
    local = '';
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\') i++;
      if (i >= text.length) return null;
      local += text[i];
    }
    if (i >= text.length) return null;
    rest = text.slice(i + 1);
  } else {
    const at = text.lastIndexOf('@');
    local = at < 0 ? text : text.slice(0, at);
    rest = at < 0 ? '' : text.slice(at);
    if (!DOT_STRING.test(local)) return null;
  }
  if (rest === '') return local.length > 0 ? { text, local, domain: '' } : null;
  if (!rest.startsWith('@')) return null;
  const domain = rest.slice(1);
  if (!DOMAIN.test(domain)) return null;
  return { text, local, domain: domain.toLowerCase() };
}

/** ` KEY=VALUE KEY2` -> pairs with upper-cased keys; null on a malformed parameter. */
function parseParams(text: string): Array<[string, string | null]> | null {
  const out: Array<[string, string | null]> = [];
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9-]*$/.test(key)) return null;
    out.push([key, eq < 0 ? null : word.slice(eq + 1)]);
  }
  return out;
}

/** Client text made safe to echo in a reply: printable ASCII, bounded length. */
export function safeText(text: string, max = 20): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '...' : clean;
}
