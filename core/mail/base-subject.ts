/**
 * RFC 5256 section 2.1 base-subject extraction, used by SORT SUBJECT and THREAD.
 *
 * The input is a raw (unfolded) Subject value; encoded words are decoded to UTF-8 first.
 * Prefix and trailer words ("Re", "Fw", "Fwd", "(fwd)", "[fwd:") match case-insensitively.
 * The result keeps the case as written: comparisons go through core/search/collation.ts.
 * `isReplyOrForward` follows Dovecot: true when a "Re:"/"Fw:"/"Fwd:" leader, a "(fwd)" trailer
 * or a "[fwd: ...]" wrapper was removed (a bare "[blob]" or whitespace does not count).
 */
import { decodeEncodedWords } from './decode.ts';

export interface BaseSubject {
  subject: string;
  isReplyOrForward: boolean;
}

/** Step 1: decode, then every run of whitespace (tabs, stray line ends) becomes one space. */
function normalizeWhitespace(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ');
}

/** Length of a subj-blob at `i` ("[" *BLOBCHAR "]" *WSP), or 0 when there is none. */
function blobLength(s: string, i: number): number {
  if (s[i] !== '[') return 0;
  let j = i + 1;
  while (j < s.length && s[j] !== '[' && s[j] !== ']') j++;
  if (s[j] !== ']') return 0;
  j++;
  while (s[j] === ' ') j++;
  return j - i;
}

/** Length of a subj-refwd at `i` (("re" / "fw" ["d"]) *WSP [subj-blob] ":"), or 0. */
function refwdLength(s: string, i: number): number {
  const head = s.slice(i, i + 3).toLowerCase();
  let j: number;
  if (head.startsWith('re')) j = i + 2;
  else if (head === 'fwd') j = i + 3;
  else if (head.startsWith('fw')) j = i + 2;
  else return 0;
  while (s[j] === ' ') j++;
  j += blobLength(s, j);
  return s[j] === ':' ? j + 1 - i : 0;
}

/**
 * Length of a subj-leader at the start ((*subj-blob subj-refwd) / WSP). The blobs before a
 * refwd are only part of the leader when a refwd follows them.
 */
function leaderLength(s: string): { length: number; refwd: boolean } {
  if (s[0] === ' ') return { length: 1, refwd: false };
  let i = 0;
  for (;;) {
    const r = refwdLength(s, i);
    if (r > 0) return { length: i + r, refwd: true };
    const b = blobLength(s, i);
    if (b === 0) return { length: 0, refwd: false };
    i += b;
  }
}

/** Step 2: removes trailing "(fwd)" and whitespace; reports whether a "(fwd)" went. */
function stripTrailers(s: string): { text: string; fwd: boolean } {
  let fwd = false;
  for (;;) {
    if (s.endsWith(' ')) s = s.slice(0, -1);
    else if (s.length >= 5 && s.slice(-5).toLowerCase() === '(fwd)') {
      s = s.slice(0, -5);
      fwd = true;
    } else return { text: s, fwd };
  }
}

export function baseSubject(rawValue: string): BaseSubject {
  let s = normalizeWhitespace(decodeEncodedWords(rawValue));
  let isReplyOrForward = false;
  for (;;) {
    const trailer = stripTrailers(s);
    s = trailer.text;
    if (trailer.fwd) isReplyOrForward = true;
    // Steps 3-5: leaders and leading blobs, until neither matches.
    for (;;) {
      const leader = leaderLength(s);
      if (leader.length > 0) {
        s = s.slice(leader.length);
        if (leader.refwd) isReplyOrForward = true;
        continue;
      }
      const blob = blobLength(s, 0);
      // A blob goes only when a non-empty subj-base would be left.
      if (blob > 0 && blob < s.length && s.slice(blob).trim() !== '') {
        s = s.slice(blob);
        continue;
      }
      break;
    }
    // Step 6: "[fwd: ...]" wrapper.
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === '[fwd:' && s.endsWith(']')) {
      s = s.slice(5, -1);
      isReplyOrForward = true;
      continue;
    }
    return { subject: s, isReplyOrForward };
  }
}
