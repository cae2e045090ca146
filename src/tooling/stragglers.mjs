// Processes a test run left behind. `npm test` marks every process of a run with one environment
// variable (the test helpers pass it on to every child they start, even with an otherwise exact
// environment); when the test runner has exited, any live process still carrying the mark is a
// straggler: it is reported and killed. Linux only (/proc); elsewhere nothing is found.
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks every process of one test run (test/helpers/children.ts). */
export const RUN_MARKER = 'BOOTLINE_TEST_RUN';

function read(path) {
  try {
    return readFileSync(path);
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

/** A zombie has exited and only waits to be reaped: it is not alive. */
function alive(pid) {
  const stat = read(`/proc/${pid}/stat`)?.toString();
  if (!stat) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Live processes (not this one) whose environment has RUN_MARKER=runId: [{ pid, command }]. */
export function findStragglers(runId) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const mark = `${RUN_MARKER}=${runId}`;
  const found = [];
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    const env = read(`/proc/${pid}/environ`);
    if (!env?.toString().split('\0').includes(mark) || !alive(pid)) continue;
    const command = read(`/proc/${pid}/cmdline`)?.toString().split('\0').join(' ').trim() ?? '?';
    found.push({ pid, command });
  }
  return found;
}

/** Kills (SIGKILL) every straggler of the run, waits until they are gone, and returns what it found. */
export async function killStragglers(runId, timeoutMs = 10_000) {
  const found = findStragglers(runId);
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const end = Date.now() + timeoutMs;
  while (found.some(({ pid }) => alive(pid)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return found;
}
