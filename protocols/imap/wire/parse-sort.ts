/**
 * SORT and THREAD arguments (RFC 5256), with ESORT's RETURN options (RFC 5267):
 *   SORT [RETURN (MIN MAX ALL COUNT)] (sort-criteria) charset search-key...
 *   THREAD algorithm charset search-key...
 * Unknown sort keys and algorithms are BAD naming them; an unknown charset is NO [BADCHARSET].
 */
import { SORT_KEYS, type SortCriterion, type SortKeyName } from '../../../core/search/sort.ts';
import { THREAD_ALGORITHMS, type ThreadAlgorithm } from '../../../core/search/thread.ts';
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip } from './parse-args.ts';
import { parseSearchCriteria } from './parse-search.ts';

const CHARSETS = new Set(['UTF-8', 'US-ASCII']);
/** RFC 5267 3.1 options; SAVE is SEARCHRES's (RFC 5182), allowed on SORT as Dovecot does. */
const ESORT_RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE']);

function parseCharset(args: Args): string {
  const charset = args.astring('charset').toUpperCase();
  if (!CHARSETS.has(charset)) throw new CommandError('Unsupported charset', 'NO', 'BADCHARSET (UTF-8 US-ASCII)');
  return charset;
}

function parseSortCriteria(args: Args): SortCriterion[] {
  const list = args.sub(args.list('sort criteria'));
  if (!list.more()) throw new CommandError('Empty sort criteria');
  const out: SortCriterion[] = [];
  while (list.more()) {
    let key = list.keyword('sort key');
    let reverse = false;
    if (key === 'REVERSE') {
      reverse = true;
      key = list.keyword('sort key after REVERSE');
    }
    if (!(SORT_KEYS as readonly string[]).includes(key)) throw new CommandError(`Unknown sort key ${clip(key)}`);
    out.push({ key: key as SortKeyName, reverse });
  }
  return out;
}

export function parseSort(args: Args, uid: boolean): ImapCommand {
  let returnOptions: string[] | null = null;
  if (args.peekAtom() === 'RETURN') {
    args.next('RETURN');
    const opts = args.sub(args.list('RETURN options'));
    returnOptions = [];
    while (opts.more()) {
      const opt = opts.keyword('RETURN option');
      if (!ESORT_RETURN_OPTIONS.has(opt)) throw new CommandError(`Unknown RETURN option ${clip(opt)}`);
      if (!returnOptions.includes(opt)) returnOptions.push(opt);
    }
  }
  const criteria = parseSortCriteria(args);
  const charset = parseCharset(args);
  const search = parseSearchCriteria(args);
  return { name: 'SORT', uid, criteria, charset, search, returnOptions };
}

export function parseThread(args: Args, uid: boolean): ImapCommand {
  const name = args.keyword('threading algorithm');
  if (!(THREAD_ALGORITHMS as readonly string[]).includes(name)) throw new CommandError(`Unknown threading algorithm ${clip(name)}`);
  const charset = parseCharset(args);
  const search = parseSearchCriteria(args);
  return { name: 'THREAD', uid, algorithm: name as ThreadAlgorithm, charset, search };
}
