/** THREAD and UID THREAD (RFC 5256 section 4): ORDEREDSUBJECT, REFERENCES, REFS. */
import { formatThreads, threadMessages, type ThreadNode } from '../../../core/search/thread.ts';
import { NO_HEADERS } from '../../../core/search/sort-fields.ts';
import { gatherFacts } from '../sort-flow.ts';
import { charsetConflict } from '../rev2.ts';
import { bad, ok, type CommandHandler } from '../types.ts';

/** The same tree with UIDs in place of sequence numbers (iterative: chains may be long). */
function toUids(threads: ThreadNode[], uidAt: (seq: number) => number): ThreadNode[] {
  const stack = [...threads];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.seq !== null) node.seq = uidAt(node.seq);
    stack.push(...node.children);
  }
  return threads;
}

export const thread: CommandHandler<'THREAD'> = {
  name: 'THREAD',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'THREAD' && !cmd.uid },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const conflict = charsetConflict(ctx, cmd.charset);
    if (conflict) return bad(conflict);
    const facts = await gatherFacts(view, cmd.search, true);
    let threads = threadMessages(
      facts.map((f) => ({ seq: f.seq, internalDate: f.internalDate, headers: f.headers ?? NO_HEADERS })),
      cmd.algorithm,
    );
    if (cmd.uid) threads = toUids(threads, (s) => view.uidAt(s));
    const text = formatThreads(threads);
    await ctx.untagged(text.length > 0 ? `THREAD ${text}` : 'THREAD');
    return ok('Thread completed.');
  },
};
