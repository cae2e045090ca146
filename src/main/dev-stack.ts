import { spawn, type ChildProcess } from 'node:child_process';
import { procfileNodeArgs } from './procfile.js';
import { relaxLimits, setUpRedisServer, waitForReady } from './dev-setup.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSmscControl } from '../dev/smsc/control.js';
import { parseFaults } from '../dev/smsc/faults.js';
import { DevSmsc } from '../dev/smsc/server.js';
import { DmStandIn } from '../dev/dm-server.js';
import { startDevHandsets, type DevHandsets } from '../dev/handset/start.js';
import { SubscriberStandIn } from '../dev/subscriber-lookup.js';
import { hashToken } from '../platform/http/auth.js';
import { createLogger } from '../platform/logger.js';
import { TwilioStandIn } from '../dev/twilio/server.js';
import { freePort, redisAnswers, redisServerBinary, startPrivateRedis, type PrivateRedis } from '../dev/redis.js';

// `npm start`: the whole hotline on one machine with no configuration. Whatever the
// environment already sets is used as is; what is missing is supplied locally:
// Redis (an existing one on 6379, else a private durable one), the dev SMSC, dev secrets.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const env: Record<string, string | undefined> = { ...process.env };
// Dev-only knobs (tests use them to stay off the developer's own Redis and .data/).
const dataDir = env.BOOTLINE_DATA_DIR ?? join(root, '.data');
const devRedisPort = Number(env.DEV_REDIS_PORT ?? 6379);
const logger = createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'dev-stack' });

/** A dev secret kept in .data/ so it survives restarts (and the simulator can read it). */
function devSecret(name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const v = make();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, v + '\n', { mode: 0o600 });
  return v;
}

async function provideRedis(): Promise<PrivateRedis | null> {
  if (env.REDIS_URL) return null;
  if (await redisAnswers('127.0.0.1', devRedisPort)) {
    env.REDIS_URL = `redis://127.0.0.1:${devRedisPort}`;
    return null;
  }
  if (!redisServerBinary() && !setUpRedisServer(root)) {
    process.stderr.write(
      `bootline: no Redis is running on 127.0.0.1:${devRedisPort} and there is no redis-server to start one.\n` +
        '  Install it:  sudo apt-get install -y redis-server\n' +
        '  or point bootline at one:  REDIS_URL=redis://host:6379 npm start\n',
    );
    process.exit(1);
  }
  const r = await startPrivateRedis({ dir: join(dataDir, 'redis'), durable: true, port: devRedisPort });
  env.REDIS_URL = r.url;
  logger.info({ url: r.url, dir: join(dataDir, 'redis') }, 'started private redis-server (AOF on, noeviction)');
  return r;
}

async function provideSmsc(): Promise<DevSmsc | null> {
  if (env.SMPP_URL) return null;
  const smsc = new DevSmsc({ logger: createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'dev-smsc' }) });
  const port = await smsc.listen(Number(env.DEV_SMSC_PORT ?? 0));
  env.SMPP_URL = `smpp://${smsc.systemId}:${smsc.password}@127.0.0.1:${port}`;
  return smsc;
}

/** The DM server's registration endpoint: a local stand-in unless DM_REGISTER_URL is set. */
async function provideDm(): Promise<DmStandIn | null> {
  if (env.DM_REGISTER_URL) return null;
  env.DM_REGISTER_SECRET ??= devSecret('dev-dm-secret', () => randomBytes(24).toString('hex'));
  // Devices open their DM sessions at the path of DM_SERVER_URL; the stand-in signals bootline's web.
  const dm = new DmStandIn({
    secret: env.DM_REGISTER_SECRET,
    logger: createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'dm-stand-in' }),
    sessionPath: new URL(env.DM_SERVER_URL!).pathname,
    bootlineUrl: `http://127.0.0.1:${env.PORT}`,
    ...(env.DM_SERVER_ID ? { serverId: env.DM_SERVER_ID } : {}),
  });
  env.DM_REGISTER_URL = await dm.listen(0);
  // The simulated handsets behind the dev SMSC open their sessions here and the stand-in signals
  // them: enrolment is tracked, so a call waits for it (wait-for-enrolment) unless the user says.
  if (smsc) env.ENROLMENT_WINDOW_S ??= '120';
  return dm;
}

/**
 * NETWPIN pushes need IMSIs: a local subscriber-lookup stand-in unless SUBSCRIBER_LOOKUP_URL is
 * set, whenever a push may be NETWPIN — PUSH_SECURITY says so, or network events are on
 * (NETWORK_EVENTS_TOKEN: their default action is a NETWPIN bootstrap).
 */
async function provideSubscribers(): Promise<SubscriberStandIn | null> {
  const netwpin = (env.PUSH_SECURITY ?? 'USERPIN') !== 'USERPIN' || Boolean(env.NETWORK_EVENTS_TOKEN);
  if (env.SUBSCRIBER_LOOKUP_URL || !netwpin) return null;
  env.SUBSCRIBER_LOOKUP_SECRET ??= devSecret('dev-subscriber-secret', () => randomBytes(24).toString('hex'));
  const s = new SubscriberStandIn({ secret: env.SUBSCRIBER_LOOKUP_SECRET });
  env.SUBSCRIBER_LOOKUP_URL = await s.listen(0);
  return s;
}

/** Simulated handsets behind the dev SMSC, with a control API the call CLI hands the PIN to. */
async function provideHandsets(): Promise<DevHandsets | null> {
  if (!smsc) return null;
  const h = await startDevHandsets({
    smsc,
    dm,
    subscribers,
    dmServerUrl: env.DM_SERVER_URL!,
    logger: createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'handset' }),
    controlPort: Number(env.DEV_HANDSET_CONTROL_PORT ?? 0),
  });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'dev-handset-url'), h.controlUrl + '\n');
  env.HANDSET_CONTROL_URL ??= h.controlUrl; // the console's call simulator types the PIN heard here
  return h;
}

/** Twilio's REST API (agent hand-ins): a local stand-in unless TWILIO_API_BASE_URL is set. */
async function provideTwilio(): Promise<TwilioStandIn | null> {
  if (env.TWILIO_API_BASE_URL) return null;
  env.TWILIO_ACCOUNT_SID ??= devSecret('dev-account-sid', () => 'AC' + randomBytes(16).toString('hex'));
  const t = new TwilioStandIn({
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN!,
    logger: createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'twilio-stand-in' }),
  });
  env.TWILIO_API_BASE_URL = await t.listen(0);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'dev-twilio-url'), env.TWILIO_API_BASE_URL + '\n');
  return t;
}

function startChild(name: 'web' | 'worker'): ChildProcess {
  const child = spawn(process.execPath, [...procfileNodeArgs(name), join(root, 'dist', 'src', 'main', `${name}.js`)], {
    env,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      logger.error({ name, code, signal }, 'process exited; stopping the stack');
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
let children: ChildProcess[] = [];
let redis: PrivateRedis | null = null;
let smsc: DevSmsc | null = null;
let dm: DmStandIn | null = null;
let subscribers: SubscriberStandIn | null = null;
let twilioStandIn: TwilioStandIn | null = null;
let handsets: DevHandsets | null = null;
let control: { port: number; close(): Promise<void> } | null = null;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) {
            resolve();
            return;
          }
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  await control?.close();
  await handsets?.close();
  await smsc?.close();
  await dm?.close();
  await subscribers?.close();
  await twilioStandIn?.close();
  await redis?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  env.PORT ??= '3000';
  // A token the developer supplied is a real account's secret: it is used, never printed.
  const devAuthToken = env.TWILIO_AUTH_TOKEN
    ? null
    : devSecret('dev-auth-token', () => randomBytes(16).toString('hex'));
  env.TWILIO_AUTH_TOKEN ??= devAuthToken!;
  const relaxed = relaxLimits(env, devAuthToken !== null);
  env.DATA_ENCRYPTION_KEY ??= devSecret('dev-data-key', () => randomBytes(32).toString('hex'));
  env.DM_SERVER_URL ??= 'https://dm.bootline.test/dm';
  env.DM_SERVER_ID ??= 'bootline-dev';
  env.PORT = env.PORT === '0' ? String(await freePort()) : env.PORT;
  redis = await provideRedis();
  smsc = await provideSmsc();
  // Fault switches for incident rehearsals: DEV_SMSC_FAULTS at start, the control port while running.
  if (smsc && env.DEV_SMSC_FAULTS) smsc.setFaults(parseFaults(env.DEV_SMSC_FAULTS, smsc.faults));
  control = smsc ? await startSmscControl(smsc, Number(env.DEV_SMSC_CONTROL_PORT ?? 0)) : null;
  dm = await provideDm();
  subscribers = await provideSubscribers();
  twilioStandIn = await provideTwilio();
  handsets = await provideHandsets();
  // A dev operator token for the status API and the dashboard, unless API_TOKENS is set.
  const apiToken = env.API_TOKENS ? null : devSecret('dev-api-token', () => randomBytes(16).toString('hex'));
  if (apiToken) env.API_TOKENS = `operator:${hashToken(apiToken)}`;
  children = [startChild('web'), startChild('worker')];
  const base = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
  // `npm run call` in another terminal finds this stack without PORT being set there.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'dev-web-url'), base + '\n');
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(0));
  if (!(await waitForReady(`http://127.0.0.1:${env.PORT}`, () => stopping))) return;
  process.stdout.write(
    [
      '',
      'bootline is running',
      '',
      `  Voice webhook (Twilio "A call comes in"):  POST ${base}/voice/incoming`,
      `  Status callback:                          POST ${base}/voice/status`,
      devAuthToken
        ? `  Dev auth token (TWILIO_AUTH_TOKEN):        ${devAuthToken}`
        : '  Auth token (TWILIO_AUTH_TOKEN):            the one you set (not printed)',
      `  Redis: ${env.REDIS_URL}   SMSC: ${env.SMPP_URL?.replace(/:[^:@/]*@/, ':***@')}`,
      ...(apiToken
        ? [
            `  Status API / dashboard (operator token):  ${apiToken}`,
            `    curl -H 'Authorization: Bearer ${apiToken}' '${base}/api/bootstraps?msisdn=%2B447700900123'`,
            `    ${base}/admin/queues   (browser: any user name, the token as password)`,
            `  Operator console (flows, editor, call simulator):  ${base}/console   (log in with the operator token)`,
          ]
        : []),
      ...(control
        ? [
            '  Dev SMSC fault switches (docs/guides/incident-rehearsal.md):  ' +
              `curl -d 'throttle=5' http://127.0.0.1:${control.port}/faults`,
          ]
        : []),
      ...(dm
        ? [
            `  DM registrations go to the local stand-in: ${env.DM_REGISTER_URL}`,
            `    devices open DM sessions there too (${dm.sessionUrl}); it signals bootline: POST /api/dm/sessions`,
          ]
        : []),
      ...(handsets
        ? [
            `  Simulated handsets (every number the dev SMSC serves): ${handsets.controlUrl}/handsets  ` +
              '(docs/guides/dev-stack-handset.md)',
          ]
        : []),
      ...(subscribers
        ? [`  ${env.PUSH_SECURITY} IMSIs come from the local subscriber stand-in: ${env.SUBSCRIBER_LOOKUP_URL}`]
        : []),
      `  Self-service page: ${base}/setup   POS and bulk API: ${base}/api/openapi.json`,
      ...(env.NETWORK_EVENTS_TOKEN ? [`  Network events (CloudEvents): POST ${base}/events/network`] : []),
      ...(twilioStandIn
        ? [
            `  Agent hand-ins go to the local Twilio REST stand-in: ${env.TWILIO_API_BASE_URL}  ` +
              '(docs/guides/support-agents.md)',
            '    npm run call -- --with-agent    then POST /api/agent/transfers with the CallSid it prints',
          ]
        : []),
      ...relaxed,
      '',
      '  Place a simulated call from another terminal:',
      '    npm run call',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err: Error) => {
  logger.error({ err: err.message }, 'dev stack failed to start');
  void stop(1);
});
