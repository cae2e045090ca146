import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorker } from '../app/worker.js';
import { loadConfig } from '../config/config.js';
import { requestBootstrap } from '../deliveries/intake.js';
import { bootstrapIdForCall } from '../deliveries/ids.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { enqueueTextSms, openTextSms } from '../deliveries/text-sms.js';
import { redisServerBinary, startPrivateRedis, type PrivateRedis } from '../dev/redis.js';
import { DevSmsc } from '../dev/smsc/server.js';
import type { Logger } from '../platform/logger.js';
import { createRedis } from '../platform/redis/client.js';
import { openQueue, QUEUES } from '../queues/catalogue.js';
import { OTP_POLICY, otpSmsId } from '../voice/otp.js';
import type { Delivery } from '../console/flowtests/harness.js';
import type { HandsetAnswer, SmscAnswer } from '../console/flowtests/spec.js';
import { startTestHandsets } from './flows-test-handset.js';

const RECEIPT: Record<SmscAnswer, 'DELIVRD' | 'UNDELIV' | 'EXPIRED'> = {
  delivered: 'DELIVRD',
  undelivered: 'UNDELIV',
  expired: 'EXPIRED',
};
const PREFIX = '{bl-flowtest}';
const DM_SECRET = 'flow-test-dm-secret-0123456789';
const DM_SERVER_URL = 'https://dm.example.com/dm';
const DM_SERVER_ID = 'com.example.dm';
/**
 * The enrolment window of the run: a handset that answers opens its session within a second
 * of the delivery; one that never connects makes its push not-enrolled this long after it.
 */
const ENROLMENT_WINDOW_S = 5;

/** A real Redis for the run: a private redis-server (removed afterwards), else REDIS_URL. */
export async function testRedis(
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (!redisServerBinary()) {
    if (!env.REDIS_URL) throw new Error('flow tests need redis-server (apt-get install -y redis-server) or REDIS_URL');
    return { url: env.REDIS_URL, stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bootline-flowtest-'));
  const r: PrivateRedis = await startPrivateRedis({ dir, durable: false });
  return {
    url: r.url,
    stop: async () => {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The CLI's delivery side for flow tests: the whole push pipeline in this process — a worker
 * built by createWorker (the worker process's composition root: push, dm-register and
 * text-SMS workers, WBXML, SEC/MAC, WSP, SMPP) against a dev SMSC on loopback that answers with
 * the receipt each test asks for, the simulated handsets behind it and the DM stand-in they
 * open their sessions at (flows-test-handset.ts). Codes are read back from the SMS the SMSC
 * accepted, pushes from their records.
 */
export async function pipelineDelivery(o: { redisUrl: string; dataKey: Buffer; logger: Logger }): Promise<Delivery> {
  const smsc = new DevSmsc({ logger: o.logger, receiptDelayMs: 20 });
  const port = await smsc.listen(0);
  const conn = createRedis(o.redisUrl, 'fast');
  const store = new BootstrapStore(conn, o.dataKey);
  const handsets = await startTestHandsets({
    smsc,
    store,
    redis: conn,
    secret: DM_SECRET,
    serverId: DM_SERVER_ID,
    dmServerUrl: DM_SERVER_URL,
    logger: o.logger,
  });
  let handset: HandsetAnswer = 'untracked';
  const config = loadConfig({
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    TWILIO_AUTH_TOKEN: 'flow-tests-are-not-signed-by-twilio',
    REDIS_URL: o.redisUrl,
    SMPP_URL: `smpp://${smsc.systemId}:${smsc.password}@127.0.0.1:${port}`,
    DM_SERVER_URL,
    DM_SERVER_ID,
    DM_REGISTER_URL: handsets.dm.url,
    ENROLMENT_WINDOW_S: String(ENROLMENT_WINDOW_S),
    DM_REGISTER_SECRET: DM_SECRET,
    DATA_ENCRYPTION_KEY: o.dataKey.toString('hex'),
    SMPP_RESPONSE_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
  });
  const worker = createWorker(config, {
    logger: o.logger,
    queuePrefix: PREFIX,
    transport: { reconnectMinMs: 20, throttlePauseMs: 100 },
  });
  const queue = openQueue(QUEUES.bootstrap, { prefix: PREFIX, connection: conn, logger: o.logger });
  const smsQueue = openQueue(QUEUES.textSms, { prefix: PREFIX, connection: conn, logger: o.logger });
  return {
    services: {
      requestBootstrap: (req) =>
        requestBootstrap(
          { store, queue, defaults: { sec: config.security.pushSecurity, profile: 'cp', pinLength: 6 } },
          req,
        ),
      sendText: (i) => enqueueTextSms({ queue: smsQueue }, { id: i.id, to: i.to, text: i.text, sealKey: o.dataKey }),
      bootstrapStatus: async (id) => (await store.get(id))?.status ?? null,
      bootstrapState: (id) => store.stateAndCause(id),
    },
    async texts(callSid) {
      const out = [];
      for (let n = 1; n <= OTP_POLICY.maxSends; n++) {
        const job = await smsQueue.getJob(otpSmsId(callSid, n));
        if (!job || !(await job.isCompleted())) continue;
        const sms = openTextSms(o.dataKey, job.id!, job.data);
        if (sms) out.push(sms);
      }
      return out;
    },
    async push(callSid) {
      return (await store.get(bootstrapIdForCall(callSid)))?.status ?? null;
    },
    async answer(a, h) {
      smsc.setFaults({ ...smsc.faults, receiptState: RECEIPT[a] });
      handset = h;
    },
    enrolmentTracked: () => handset !== 'untracked',
    heard: (callSid, says) => handsets.heard(callSid, says, handset),
    async close() {
      await handsets.close();
      await worker.close();
      await queue.close();
      await smsQueue.close();
      conn.disconnect();
      await smsc.close();
    },
  };
}
