/**
 * The capability list: exactly what this server implements, adjusted to the connection
 * (STARTTLS only while TLS is possible and not active; plaintext mechanisms hidden and
 * LOGINDISABLED shown where plaintext authentication is refused, as Dovecot does).
 */
import type { Config } from '../../core/config/schema.ts';
import type { Transport } from '../net/types.ts';
import type { SessionState } from './types.ts';

/**
 * Extensions available in every state. RFC 7888 forbids LITERAL+ and LITERAL- together: the
 * LITERAL- entry becomes LITERAL+ when limits.imapLiteralPlus is on (see capabilityList).
 */
const BASE = [
  'IMAP4rev1',
  'LITERAL-',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'NAMESPACE',
  'UIDPLUS',
  'MULTIAPPEND',
  'URL-PARTIAL',
  'CATENATE',
  'COMPRESS=DEFLATE',
  'BINARY',
  'APPENDLIMIT',
  'STATUS=SIZE',
  'MOVE',
  'UNSELECT',
  'SPECIAL-USE',
  'CHILDREN',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'ESEARCH',
  'SEARCHRES',
  'WITHIN',
  'SAVEDATE',
  'CONTEXT=SEARCH',
  'SORT',
  'SORT=DISPLAY',
  'THREAD=ORDEREDSUBJECT',
  'THREAD=REFERENCES',
  'THREAD=REFS',
  'ESORT',
  'I18NLEVEL=1',
  'OBJECTID',
  'PREVIEW',
  'PREVIEW=FUZZY',
  'SNIPPET=FUZZY',
  'REPLACE',
  'IMAP4rev2',
  'UTF8=ACCEPT',
  'CONDSTORE',
  'QRESYNC',
  'QUOTA',
  'QUOTA=RES-STORAGE',
  'QUOTA=RES-MESSAGE',
  'METADATA',
  'METADATA-SERVER',
  'ACL',
  'RIGHTS=texk',
  'LIST-MYRIGHTS',
  'NOTIFY',
] as const;

/** Extensions ENABLE may turn on. */
export const ENABLEABLE: ReadonlySet<string> = new Set<string>(['IMAP4REV2', 'UTF8=ACCEPT', 'CONDSTORE', 'QRESYNC']);

/** Plaintext auth refused: not TLS, not loopback, and the config says so. */
export function plaintextDisabled(config: Config, transport: Transport): boolean {
  return config.auth.disablePlaintextAuth && !transport.secure && !transport.loopback;
}

export function capabilityList(config: Config, transport: Transport, state: SessionState): string[] {
  const caps: string[] = [...BASE];
  if (config.limits.imapLiteralPlus) caps[caps.indexOf('LITERAL-')] = 'LITERAL+';
  // RFC 7889: one limit for every mailbox, so it goes in the capability itself.
  caps[caps.indexOf('APPENDLIMIT')] = `APPENDLIMIT=${config.limits.messageSize}`;
  if (state === 'not-authenticated') {
    if (transport.tlsAvailable && !transport.secure) caps.push('STARTTLS');
    if (plaintextDisabled(config, transport)) caps.push('LOGINDISABLED');
    else caps.push('AUTH=PLAIN', 'AUTH=LOGIN');
  } else {
    // SASL-IR only concerns AUTHENTICATE, which is over once logged in.
    caps.splice(caps.indexOf('SASL-IR'), 1);
  }
  return caps;
}
