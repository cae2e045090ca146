import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { startHarness } from '../console/flowtests/harness.js';
import { reportLines, runFlowTests, type TestRun } from '../console/flowtests/run.js';
import { parseTestFile, testFilesIn, type TestFile } from '../console/flowtests/spec.js';
import { silentLogger } from '../platform/logger.js';
import { createRedis } from '../platform/redis/client.js';
import { FlowRegistry } from '../voice/registry.js';
import { pipelineDelivery, testRedis } from './flows-test-world.js';
import type { CliIO } from './io.js';

export const TEST_HELP = [
  '       bootline flows test [TEST-FILE ...]    run flow tests (default: $FLOWS_DIR/tests/*.yaml) on the',
  '                                             real engine, a private Redis and the dev SMSC; exit 1 on failure',
].join('\n');

/** The flow a test file is for: the file in FLOWS_DIR whose id it names. */
function flowText(dir: string, id: string): string | null {
  for (const f of [`${id}.yaml`, `${id}.yml`]) if (existsSync(join(dir, f))) return readFileSync(join(dir, f), 'utf8');
  try {
    const reg = FlowRegistry.fromDirectory(dir);
    return reg.has(id) ? reg.get(id).source : null;
  } catch {
    return null;
  }
}

/**
 * `bootline flows test`: each test file's cases, one call each, on the flow it names (from
 * FLOWS_DIR), through the whole stack in this process — the voice engine and its webhooks,
 * the simulator the console uses, a private redis-server, the push workers and the dev SMSC.
 * Prints a report (one line per case, the reasons under a failure) and exits 1 if any fails.
 */
export async function flowsTest(io: CliIO, args: string[]): Promise<number> {
  const dir = isAbsolute(io.env.FLOWS_DIR ?? 'voice-flows')
    ? io.env.FLOWS_DIR!
    : join(io.cwd, io.env.FLOWS_DIR ?? 'voice-flows');
  const paths = args.length ? args.map((a) => (isAbsolute(a) ? a : join(io.cwd, a))) : testFilesIn(dir);
  if (!paths.length) {
    io.stderr.write(`no flow tests: ${relative(io.cwd, join(dir, 'tests'))}/*.yaml is empty\n`);
    return 1;
  }
  const files: TestFile[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const parsed = existsSync(p) ? parseTestFile(relative(io.cwd, p), readFileSync(p, 'utf8')) : null;
    if (!parsed) problems.push(`${p}: no such file`);
    else if ('problems' in parsed) problems.push(...parsed.problems);
    else files.push(parsed);
  }
  for (const p of problems) io.stderr.write(`${p}\n`);
  if (problems.length) return 1;

  const redis = await testRedis(io.env);
  const client = createRedis(redis.url, 'fast', { enableAutoPipelining: true });
  const dataKey = randomBytes(32);
  const logger = silentLogger();
  const runs: TestRun[] = [];
  try {
    const delivery = await pipelineDelivery({ redisUrl: redis.url, dataKey, logger });
    const h = await startHarness({ redis: client, registry: new FlowRegistry(), dataKey, logger, delivery });
    try {
      for (const flow of [...new Set(files.map((f) => f.flow))]) {
        const text = flowText(dir, flow);
        const mine = files.filter((f) => f.flow === flow);
        if (text === null) {
          io.stdout.write(`flow ${flow}: no such flow in ${relative(io.cwd, dir) || '.'}\n`);
          runs.push({ flow, revision: '', version: 'file', ranAt: '', passed: 0, failed: 1, cases: [], problems: [] });
          continue;
        }
        const run = await runFlowTests(h, { flow, text, version: 'file', files: mine });
        runs.push(run);
        io.stdout.write(`${reportLines(run).join('\n')}\n`);
      }
    } finally {
      await h.close();
    }
  } finally {
    client.disconnect();
    await redis.stop();
  }
  const passed = runs.reduce((n, r) => n + r.passed, 0);
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  io.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}
