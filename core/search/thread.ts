/**
 * THREAD (RFC 5256 section 4): ORDEREDSUBJECT, REFERENCES, and Dovecot's REFS.
 *
 * REFERENCES follows the RFC step by step: id table with dummy containers (1), root set (2),
 * dummy pruning (3), sibling sort by sent date (4), merging root threads by base subject (5),
 * sorting again (6). REFS, as implemented here (Dovecot's THREAD=REFS): steps 1-4 only, no
 * subject merging, and the root threads are ordered by their most recent sent date (ties by
 * the lowest sequence number in the thread); siblings below the root still by sent date.
 *
 * Pure: messages come in with their header facts; the result is a tree of sequence numbers
 * (null for a dummy), which formatThreads turns into the response text.
 */
import { baseSubject } from '../mail/base-subject.ts';
import { casemapString } from './collation.ts';
import type { HeaderFacts } from './sort-fields.ts';
import { sentDate } from './sort.ts';

export const THREAD_ALGORITHMS = ['ORDEREDSUBJECT', 'REFERENCES', 'REFS'] as const;
export type ThreadAlgorithm = (typeof THREAD_ALGORITHMS)[number];

export interface ThreadInput {
  seq: number;
  internalDate: number;
  headers: HeaderFacts;
}

/** A thread node: `seq` null is a dummy (a message referenced but not present). */
export interface ThreadNode {
  seq: number | null;
  children: ThreadNode[];
}

interface Container {
  msg: ThreadInput | null;
  date: number;
  /** Lowest sequence number represented (ties in date order). */
  order: number;
  parent: Container | null;
  children: Container[];
}

/** The msg-ids (`<...>`) in a header value, in order, whitespace removed. */
export function messageIds(v: string | null): string[] {
  if (v === null) return [];
  const out: string[] = [];
  for (const m of v.matchAll(/<([^<>]*)>/g)) {
    const id = m[1]!.replace(/[ \t\r\n]+/g, '');
    if (id !== '') out.push(id);
  }
  return out;
}

function newContainer(msg: ThreadInput | null): Container {
  return { msg, date: msg ? sentDate({ ...msg, size: 0 }) : 0, order: msg ? msg.seq : 0, parent: null, children: [] };
}

/** True when `a` is `b` or one of b's ancestors. */
function isAncestorOrSelf(a: Container, b: Container): boolean {
  if (a.children.length === 0) return a === b; // a leaf is nobody's ancestor (the common case)
  for (let c: Container | null = b; c !== null; c = c.parent) if (c === a) return true;
  return false;
}

function unlink(child: Container): void {
  const p = child.parent;
  if (!p) return;
  p.children.splice(p.children.indexOf(child), 1);
  child.parent = null;
}

function link(parent: Container, child: Container): void {
  child.parent = parent;
  parent.children.push(child);
}

/** Step 1: the id table and parent/child links; returns the root set (step 2). */
function buildContainers(messages: readonly ThreadInput[]): Container[] {
  const byId = new Map<string, Container>();
  const all: Container[] = [];
  const get = (id: string): Container => {
    let c = byId.get(id);
    if (!c) {
      c = newContainer(null);
      byId.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const msg of messages) {
    // 1A: the message's container; a missing or duplicate Message-ID gets a unique one.
    const id = messageIds(msg.headers.messageId)[0];
    let self: Container;
    const existing = id !== undefined ? byId.get(id) : undefined;
    if (id !== undefined && (!existing || existing.msg === null)) {
      self = get(id);
      self.msg = msg;
      self.date = newContainer(msg).date;
      self.order = msg.seq;
    } else {
      self = newContainer(msg);
      all.push(self);
    }
    let refs = messageIds(msg.headers.references);
    if (refs.length === 0) refs = messageIds(msg.headers.inReplyTo).slice(0, 1);
    // Link each reference to the next, never overriding a link or closing a loop.
    for (let i = 0; i + 1 < refs.length; i++) {
      const parent = get(refs[i]!);
      const child = get(refs[i + 1]!);
      if (child.parent === null && !isAncestorOrSelf(child, parent)) link(parent, child);
    }
    // 1B: the last reference is this message's parent (replacing an earlier link).
    const last = refs.length > 0 ? get(refs[refs.length - 1]!) : undefined;
    if (last && last !== self && !isAncestorOrSelf(self, last)) {
      unlink(self);
      link(last, self);
    } else if (!last) unlink(self);
  }
  return all.filter((c) => c.parent === null);
}

/** Every container below the roots, parents before children (iterative: chains may be long). */
function preorder(roots: readonly Container[]): Container[] {
  const out: Container[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]!);
  }
  return out;
}

/**
 * Step 3 for one sibling list whose members are already pruned: empty dummies go, a dummy's
 * children take its place, except at the root where a dummy with 2+ children stays.
 */
function pruneList(list: readonly Container[], parent: Container | null): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    if (c.msg === null && (c.children.length === 0 || parent !== null || c.children.length === 1)) {
      for (const k of c.children) {
        k.parent = parent;
        out.push(k);
      }
      continue;
    }
    out.push(c);
  }
  return out;
}

/** Step 3: children before parents, so a promoted child never needs a second look. */
function prune(roots: Container[]): Container[] {
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i]!;
    c.children = pruneList(c.children, c);
  }
  return pruneList(roots, null);
}

function compareContainers(a: Container, b: Container): number {
  return a.date - b.date || a.order - b.order;
}

/** Steps 4 and 6: siblings by sent date; a dummy takes the date of its first child. */
function sortTree(roots: Container[]): void {
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i]!;
    c.children.sort(compareContainers);
    if (c.msg === null && c.children.length > 0) {
      c.date = c.children[0]!.date;
      c.order = c.children[0]!.order;
    }
  }
  roots.sort(compareContainers);
}

interface SubjectInfo {
  key: string;
  reply: boolean;
}

function subjectOf(c: Container): SubjectInfo {
  const msg = c.msg ?? c.children[0]?.msg ?? null;
  if (!msg || msg.headers.subject === null) return { key: '', reply: false };
  const b = baseSubject(msg.headers.subject);
  return { key: casemapString(b.subject), reply: b.isReplyOrForward };
}

/** Step 5: merges root threads that share a base subject. */
function groupBySubject(roots: Container[]): Container[] {
  const table = new Map<string, Container>();
  const info = new Map<Container, SubjectInfo>();
  for (const c of roots) {
    const s = subjectOf(c);
    info.set(c, s);
    if (s.key === '') continue;
    const held = table.get(s.key);
    if (!held) table.set(s.key, c);
    else if ((c.msg === null && held.msg !== null) || (held.msg !== null && info.get(held)!.reply && c.msg !== null && !s.reply)) {
      table.set(s.key, c);
    }
  }
  const out: Container[] = [];
  for (const c of roots) {
    const s = info.get(c)!;
    const held = s.key === '' ? undefined : table.get(s.key);
    if (!held || held === c) {
      out.push(c);
      continue;
    }
    if (held.msg === null && c.msg === null) {
      for (const k of c.children) link(held, k);
    } else if (held.msg === null) {
      link(held, c);
    } else if (s.reply && !info.get(held)!.reply) {
      link(held, c);
    } else {
      // A new dummy takes the place of the held thread (in the table and in the root list).
      const dummy = newContainer(null);
      const at = out.indexOf(held);
      if (at >= 0) out[at] = dummy;
      else roots[roots.indexOf(held)] = dummy;
      link(dummy, held);
      link(dummy, c);
      table.set(s.key, dummy);
      info.set(dummy, { key: s.key, reply: false });
    }
  }
  return out;
}

function toNodes(roots: readonly Container[]): ThreadNode[] {
  const made = new Map<Container, ThreadNode>();
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i]!;
    made.set(c, { seq: c.msg ? c.msg.seq : null, children: c.children.map((k) => made.get(k)!) });
  }
  return roots.map((r) => made.get(r)!);
}

/** REFS order: the latest sent date in each thread (ties: its lowest sequence number). */
function latestByThread(roots: readonly Container[]): Map<Container, { date: number; order: number }> {
  const acc = new Map<Container, { date: number; order: number }>();
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i]!;
    const v = { date: c.msg ? c.date : -Infinity, order: c.msg ? c.order : Infinity };
    for (const k of c.children) {
      const kv = acc.get(k)!;
      if (kv.date > v.date) v.date = kv.date;
      if (kv.order < v.order) v.order = kv.order;
    }
    acc.set(c, v);
  }
  return acc;
}

function threadReferences(messages: readonly ThreadInput[], refs: boolean): ThreadNode[] {
  let roots = prune(buildContainers(messages));
  sortTree(roots);
  if (refs) {
    const keys = latestByThread(roots);
    roots.sort((a, b) => keys.get(a)!.date - keys.get(b)!.date || keys.get(a)!.order - keys.get(b)!.order);
    return toNodes(roots);
  }
  roots = groupBySubject(roots);
  sortTree(roots);
  return toNodes(roots);
}

/** ORDEREDSUBJECT: groups by base subject, each group flat under its earliest message. */
function threadOrderedSubject(messages: readonly ThreadInput[]): ThreadNode[] {
  const rows = messages.map((m) => {
    const b = m.headers.subject === null ? '' : baseSubject(m.headers.subject).subject;
    return { m, key: casemapString(b), date: sentDate({ ...m, size: 0 }) };
  });
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.date - b.date || a.m.seq - b.m.seq);
  const threads: { node: ThreadNode; date: number; seq: number }[] = [];
  let current: { node: ThreadNode; key: string } | null = null;
  for (const r of rows) {
    if (current && current.key === r.key) {
      current.node.children.push({ seq: r.m.seq, children: [] });
      continue;
    }
    const node: ThreadNode = { seq: r.m.seq, children: [] };
    current = { node, key: r.key };
    threads.push({ node, date: r.date, seq: r.m.seq });
  }
  threads.sort((a, b) => a.date - b.date || a.seq - b.seq);
  return threads.map((t) => t.node);
}

export function threadMessages(messages: readonly ThreadInput[], algorithm: ThreadAlgorithm): ThreadNode[] {
  if (algorithm === 'ORDEREDSUBJECT') return threadOrderedSubject(messages);
  return threadReferences(messages, algorithm === 'REFS');
}

/**
 * The THREAD response data after `THREAD`: `(1 2)(3 (4)(5))`. A chain is written flat; a
 * node with several children writes each child's subtree in its own parentheses; a dummy
 * writes no number. Iterative, so long reply chains cannot overflow the stack.
 */
export function formatThreads(threads: readonly ThreadNode[]): string {
  let out = '';
  // Work items: a node to write, or a literal string.
  const stack: (ThreadNode | string)[] = [];
  for (let i = threads.length - 1; i >= 0; i--) stack.push(')', threads[i]!, '(');
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const sep = item.seq === null ? '' : ' ';
    if (item.seq !== null) out += String(item.seq);
    if (item.children.length === 1) {
      stack.push(item.children[0]!);
      if (item.seq !== null) stack.push(sep);
    } else if (item.children.length > 1) {
      for (let i = item.children.length - 1; i >= 0; i--) stack.push(')', item.children[i]!, '(');
      if (item.seq !== null) stack.push(sep);
    }
  }
  return out;
}
