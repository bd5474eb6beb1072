/**
 * Runs the jobs given for one key one after another, jobs of other keys freely in parallel.
 * The HEAD-then-PUT fallback of drivers whose server may ignore If-None-Match is race-free only
 * within a process if two puts of one key never interleave.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run(key: string, job: () => Promise<void>): Promise<void> {
    const mine = (this.tails.get(key) ?? Promise.resolve()).then(job);
    const tail = mine.catch(() => {});
    this.tails.set(key, tail);
    try {
      await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
