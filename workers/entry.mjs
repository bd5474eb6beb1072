/**
 * Piscina's entry in each worker thread (plain JS on purpose). Node 20 does not carry the
 * parent's `--import tsx` hooks into worker threads, nor honour `--import` in a worker's
 * execArgv, so this registers tsx itself and then loads the TypeScript task module named in
 * workerData (workers/tasks.ts by default). A task module that fails to load makes every
 * task fail, so the pool's warm-up reports it at start.
 * Tasks are the task module's named exports; `dispatch` calls one by name.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const tasks = await import(workerData.columbaTaskModule);

/** Runs task `task` of the task module; unknown names answer ERR_TASK_UNKNOWN. */
export function dispatch(message) {
  const name = message?.task;
  const fn = typeof name === 'string' && Object.hasOwn(tasks, name) ? tasks[name] : undefined;
  if (typeof fn !== 'function') {
    return { ok: false, code: 'ERR_TASK_UNKNOWN', message: `no task named ${String(name)}` };
  }
  return fn(message.arg);
}
