import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `npm start` sets up redis-server the way `npm test` sets up its packages (one tooling module,
 * src/tooling/system-packages.mjs): installed when it runs as root with apt-get, else the exact
 * command is printed. True when redis-server is there afterwards.
 */
export function setUpRedisServer(root: string): boolean {
  const tool = join(root, 'src', 'tooling', 'system-packages.mjs');
  return spawnSync(process.execPath, [tool, '--for', 'npm start', 'redis-server'], { stdio: 'inherit' }).status === 0;
}

/**
 * The limits `npm start` relaxes for trying things, when it generated the secrets itself (no
 * real Twilio account is attached, only simulated calls arrive): a developer placing calls
 * from one desk would otherwise reach the production per-caller and per-destination budgets
 * within the hour. Production's limits apply to every scope not listed, and entirely as soon
 * as TWILIO_AUTH_TOKEN is set; LIMITS_CODES / LIMITS_BOOTSTRAPS set by hand always win.
 */
export const RELAXED_LIMITS = {
  LIMITS_CODES: 'caller=60/1h,destination=30/1h,prefix=60/1h',
  LIMITS_BOOTSTRAPS: 'caller=60/1h,destination=30/1h,prefix=60/1h',
} as const;

/** Applies RELAXED_LIMITS to what `env` leaves unset; the banner lines that say which were relaxed. */
export function relaxLimits(env: Record<string, string | undefined>, generatedSecrets: boolean): string[] {
  if (!generatedSecrets) return [];
  const relaxed = Object.entries(RELAXED_LIMITS).filter(([name]) => env[name] === undefined);
  for (const [name, value] of relaxed) env[name] = value;
  if (relaxed.length === 0) return [];
  return [
    '  Limits relaxed for trying things (npm start generated the secrets; production limits apply',
    '  once TWILIO_AUTH_TOKEN is set):',
    ...relaxed.map(([name, value]) => `    ${name}=${value}`),
  ];
}

/**
 * Waits until the web answers GET /readyz with 200, so the banner that invites a call is only
 * printed once a call can be answered. Gives up (false) when `stopped()` says the stack is going down.
 */
export async function waitForReady(baseUrl: string, stopped: () => boolean): Promise<boolean> {
  while (!stopped()) {
    const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.ok) return true;
    await sleep(100);
  }
  return false;
}
