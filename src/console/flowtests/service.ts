import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../platform/logger.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { revisionOf } from '../../voice/load.js';
import type { FlowRegistry } from '../../voice/registry.js';
import { writeAtomic } from '../flows/store.js';
import type { FlowAdmin } from '../flows/service.js';
import { startHarness } from './harness.js';
import { runFlowTests, type TestRun } from './run.js';
import { sandboxDelivery } from './sandbox.js';
import { testsForFlow } from './spec.js';

/** Runs kept per flow (newest first): enough for a draft's recent saves. */
const KEEP = 20;

/**
 * Flow tests from the console: the tests in FLOWS_DIR/tests for a flow, run on a version's
 * text with the sandbox delivery (sandbox.ts: no SMS or push leaves the process), results kept
 * per revision in FLOWS_DIR/.history/<flow>/tests.json so the page and the publish check
 * agree on what ran. One run per flow at a time in this process.
 */
export class FlowTests {
  private readonly running = new Map<string, Promise<TestRun>>();

  constructor(
    private readonly d: {
      admin: FlowAdmin;
      registry: FlowRegistry;
      redis: RedisClient;
      dataKey: Buffer;
      flowsDir: string;
      logger: Logger;
      traceDays?: number;
    },
  ) {}

  /** Runs the flow's tests on `text` and keeps the result. */
  run(flow: string, text: string, version: string): Promise<TestRun> {
    const key = `${flow}@${revisionOf(text)}`;
    const now = this.running.get(key);
    if (now) return now;
    const p = this.runNow(flow, text, version).finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }

  /** The kept run for exactly this text, if any. */
  last(flow: string, text: string): TestRun | null {
    const rev = revisionOf(text);
    return this.kept(flow).find((r) => r.revision === rev) ?? null;
  }

  /** The run for this text: the kept one, or a new run. */
  async resultFor(flow: string, text: string, version: string): Promise<TestRun> {
    return this.last(flow, text) ?? this.run(flow, text, version);
  }

  private async runNow(flow: string, text: string, version: string): Promise<TestRun> {
    const { files, problems } = testsForFlow(this.d.flowsDir, flow);
    const h = await startHarness({
      redis: this.d.redis,
      registry: this.d.registry,
      dataKey: this.d.dataKey,
      logger: this.d.logger,
      delivery: sandboxDelivery(),
      ...(this.d.traceDays ? { traceDays: this.d.traceDays } : {}),
    });
    try {
      const run = await runFlowTests(h, { flow, text, version, files, problems });
      if (run.revision) this.keep(flow, run);
      this.d.logger.info({ flow, revision: run.revision, passed: run.passed, failed: run.failed }, 'flow tests ran');
      return run;
    } finally {
      await h.close();
    }
  }

  private file(flow: string): string {
    return join(this.d.flowsDir, '.history', flow, 'tests.json');
  }

  private kept(flow: string): TestRun[] {
    const f = this.file(flow);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as TestRun[]) : [];
  }

  private keep(flow: string, run: TestRun): void {
    const runs = [run, ...this.kept(flow).filter((r) => r.revision !== run.revision)].slice(0, KEEP);
    this.d.admin.store.locked(flow, () => writeAtomic(this.file(flow), JSON.stringify(runs)));
  }
}
