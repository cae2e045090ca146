import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, on
 * the same machine (absolute numbers on a shared 2-core box mean little). Benchmarks start
 * what they need themselves (private Redis, dev SMSC, processes). Results are printed and
 * written as JSON to .data/bench/latest.json. `npm run bench -- codec` runs one of them.
 */
type Bench = { name: string; load: () => Promise<() => Promise<unknown>> };

const BENCHES: Bench[] = [
  { name: 'codec', load: async () => (await import('./codec.js')).benchCodec },
  { name: 'webhook', load: async () => (await import('./webhook.js')).benchWebhook },
  { name: 'pipeline', load: async () => (await import('./pipeline.js')).benchPipeline },
  { name: 'calls', load: async () => (await import('./calls.js')).benchCalls },
  { name: 'batch', load: async () => (await import('./batch.js')).benchBatch },
  { name: 'start', load: async () => (await import('./start.js')).benchStart },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const results: Record<string, unknown> = { at: new Date().toISOString(), machine };
  process.stdout.write(
    `bootline bench on ${machine.cpus}× ${machine.model}, ${machine.memGiB} GiB, Node ${machine.node}\n`,
  );
  for (const b of BENCHES.filter((x) => only.length === 0 || only.includes(x.name))) {
    process.stdout.write(`\n== ${b.name} ==\n`);
    try {
      const r = await (await b.load())();
      results[b.name] = r;
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    } catch (err) {
      results[b.name] = { error: (err as Error).message };
      process.stdout.write(`  failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.data', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`\nwritten to .data/bench/latest.json\n`);
  // Handles left by libraries (timers, sockets) must not keep a finished bench alive.
  process.exit(process.exitCode ?? 0);
}

await main();
