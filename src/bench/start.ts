import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUNS = 9;

/** Fastest of RUNS, in ms: what the command costs without the other work of a shared machine. */
function fastest(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.min(...runs);
}

/**
 * `npm run bench -- start`: the step every `npm start`, `npm test` and `npm run <x>` runs first
 * (src/tooling/ensure.mjs) on an unchanged checkout, against a bare `node -e 0` in the same run.
 * Goal: at most 3×. (That it installs and builds nothing then is a test: tooling-ensure.)
 */
export async function benchStart() {
  const ensure = [join(root, 'src', 'tooling', 'ensure.mjs')];
  spawnSync(process.execPath, ensure, { cwd: root, stdio: 'ignore' }); // up to date first
  const bare = fastest(['-e', '0']);
  const step = fastest(ensure);
  const ratio = Math.round((step / bare) * 100) / 100;
  return {
    runs: RUNS,
    ensureMs: Math.round(step),
    nodeMs: Math.round(bare),
    ratio,
    goal: { atMost: 3, met: ratio <= 3 },
  };
}
