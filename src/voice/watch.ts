import { EventEmitter } from 'node:events';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../platform/logger.js';
import type { Flow } from './flow.js';
import { formatProblem, type FlowProblem } from './load.js';
import type { FlowRegistry } from './registry.js';

export interface FlowWatcher extends EventEmitter<{ reloaded: [Flow]; rejected: [string, FlowProblem[]] }> {
  close(): void;
}

/**
 * Hot reload: watches the flows folder (the folder, not the files, so editors that save by
 * renaming are seen) and reloads a changed file once it has been quiet for `debounceMs`.
 * A new valid version serves new calls; calls in progress stay on their revision. An
 * invalid version is refused and logged with every problem; the last good one stays.
 */
export function watchFlows(dir: string, registry: FlowRegistry, logger: Logger, debounceMs = 150): FlowWatcher {
  const events = new EventEmitter() as unknown as FlowWatcher;
  const timers = new Map<string, NodeJS.Timeout>();
  const reload = (name: string) => {
    timers.delete(name);
    const file = join(dir, name);
    if (!existsSync(file)) {
      logger.warn({ file }, 'flow file removed; calls keep using its last good version');
      return;
    }
    const res = registry.reloadFile(file);
    if (res.ok) {
      if (!res.changed) return;
      logger.info({ flow: res.flow.id, version: res.flow.version, revision: res.flow.revision, file }, 'flow reloaded');
      events.emit('reloaded', res.flow);
      return;
    }
    const problems = (res.error.details.problems as FlowProblem[] | undefined) ?? [];
    logger.error(
      { file, problems: problems.length ? problems.map(formatProblem) : [res.error.message] },
      'flow file invalid; keeping the last good version',
    );
    events.emit('rejected', file, problems);
  };
  const watcher: FSWatcher = watch(dir, (_event, name) => {
    if (!name || !/\.ya?ml$/.test(name)) return;
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => reload(name), debounceMs),
    );
  });
  watcher.on('error', (err) => logger.warn({ err: err.message, dir }, 'flow watcher error'));
  events.close = () => {
    watcher.close();
    for (const t of timers.values()) clearTimeout(t);
  };
  return events;
}
