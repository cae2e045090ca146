import { AsyncResource } from 'node:async_hooks';
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { after } from 'node:test';

/**
 * Every process a test starts (bootline's entrypoints, private redis-servers) is started here, so
 * that none outlives the test file, whether its test passes, fails, times out or the file is killed:
 *
 * - each child leads its own process group (`detached`), so killing the group also takes what it
 *   started (cluster copies, the dev stack's web and worker, its redis-server);
 * - at the end of the file (a root `after` hook, which runs after the file's own `after` hooks,
 *   also when a test failed or timed out) every group still alive is killed, so a failed test's
 *   worker cannot keep the file's event loop, and with it the test run, waiting;
 * - on the file's process `exit` and on SIGTERM/SIGINT/SIGHUP (the test runner sends SIGTERM to a
 *   file that outruns `--test-timeout`) the groups are killed synchronously;
 * - on Linux each child is started through util-linux `setpriv --pdeathsig SIGKILL`: the kernel
 *   kills it when the test process dies, even by SIGKILL, when no handler above can run.
 *
 * `BOOTLINE_TEST_RUN` (set by `npm test`) is passed to every child, so the run can find and kill
 * whatever still escaped when the test runner has exited.
 */

/** The environment variable that marks every process of one `npm test` run. */
export const RUN_MARKER = 'BOOTLINE_TEST_RUN';

const live = new Set<ChildProcess>();

/** BOOTLINE_TEST_PDEATHSIG=0 leaves the parent-death signal out, to check the other safeguards on their own. */
const setpriv = (() => {
  if (process.platform !== 'linux' || process.env.BOOTLINE_TEST_PDEATHSIG === '0') return null;
  const r = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

function killAllNow(): void {
  for (const child of live) killGroup(child.pid);
}

/** Kills every child still alive and waits until each has exited. */
export async function killChildren(): Promise<void> {
  const exits = [...live].map(
    (child) => new Promise<void>((resolve) => (live.has(child) ? child.once('exit', () => resolve()) : resolve())),
  );
  killAllNow();
  await Promise.all(exits);
}

/** Bound at load time, at the top level of the test file: a hook registered through it is the file's own. */
const atFileLevel = AsyncResource.bind((register: () => void) => register());
let hooked = false;

function hookCleanup(): void {
  if (hooked) return;
  hooked = true;
  // Registered at the first spawn, so after the file's own top-level `after` hooks: those stop
  // their processes gracefully first; this one kills what is left.
  atFileLevel(() => after(killChildren));
  process.on('exit', killAllNow);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      // Then die of the signal as if nobody had listened, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** `child_process.spawn`, for a process that must not outlive the test file (see above). */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  hookCleanup();
  const env = { ...(options.env ?? process.env) };
  const marker = process.env[RUN_MARKER];
  if (marker && env[RUN_MARKER] === undefined) env[RUN_MARKER] = marker;
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', command, ...args]] : [command, [...args]];
  const child = spawn(file, argv, { ...options, env, detached: true });
  if (child.pid === undefined) return child; // spawn failed; its 'error' event says why
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    // Whatever the child started and left behind goes with it. The group id cannot have been
    // reused yet: it stays allocated while any member is alive.
    killGroup(child.pid);
  });
  return child;
}
