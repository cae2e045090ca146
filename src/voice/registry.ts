import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootlineError } from '../errors.js';
import type { Flow } from './flow.js';
import { parseFlow } from './load.js';

/**
 * Holds the current version of every flow and every revision a live call may still be on.
 * Loading a directory refuses any invalid file with the precise problems.
 */
export class FlowRegistry {
  private readonly current = new Map<string, Flow>();
  private readonly revisions = new Map<string, Flow>();

  static fromDirectory(dir: string): FlowRegistry {
    const reg = new FlowRegistry();
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    for (const f of files) reg.add(parseFlow(join(dir, f), readFileSync(join(dir, f), 'utf8')));
    return reg;
  }

  add(flow: Flow): void {
    this.current.set(flow.id, flow);
    this.revisions.set(`${flow.id}@${flow.revision}`, flow);
  }

  get(id: string): Flow {
    const f = this.current.get(id);
    if (!f) throw new BootlineError('FLOW_UNKNOWN', `no flow "${id}"`);
    return f;
  }

  /** The exact revision a call started on, falling back to the current one if it was dropped. */
  revision(id: string, revision: string): Flow {
    return this.revisions.get(`${id}@${revision}`) ?? this.get(id);
  }

  ids(): string[] {
    return [...this.current.keys()];
  }
}
