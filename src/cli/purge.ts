import { parseArgs } from 'node:util';
import { createRedis } from '../platform/redis/client.js';
import { purgeBootstraps } from '../platform/redis/retention.js';
import type { CliCommand } from './io.js';

export const HELP = `usage: bootline purge [--days N] [--dry-run]

Deletes bootstrap statuses, sealed PINs and credentials, segments, receipts and number-index
entries whose last change is older than N days (default $RETENTION_DAYS, else 30), on the
Redis at $REDIS_URL. Run it daily (cron) to keep less than the 30-day maximum.
`;

export const run: CliCommand = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: { days: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const days = Number(values.days ?? io.env.RETENTION_DAYS ?? 30);
  if (!Number.isInteger(days) || days < 0) {
    io.stderr.write(`bootline purge: --days must be a whole number of days, not "${values.days}"\n`);
    return 2;
  }
  const redis = createRedis(io.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'patient');
  try {
    const r = await purgeBootstraps(redis, { days, dryRun: values['dry-run'] ?? false });
    io.stdout.write(
      `${values['dry-run'] ? 'would purge' : 'purged'} ${r.purged} of ${r.scanned} ` +
        `bootstraps older than ${days} days\n`,
    );
    return 0;
  } finally {
    redis.disconnect();
  }
};
