import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { agentSubscriber } from '../../src/agents/webhook.js';
import { UnrecoverableError } from 'bullmq';
import { createEventProcessor, EVENT_ID_HEADER } from '../../src/deliveries/events/deliver.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../../src/dm/signature.js';
import { silentLogger } from '../../src/platform/logger.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { agentStack, type AgentStack } from '../helpers/agent-stack.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';
import { join } from 'node:path';

// The contact centre hears about a bootstrap an agent started, signed and retried: a real
// HTTP receiver that refuses the first delivery, the worker pushing through a loopback SMSC.
const SECRET = 'contact-centre-secret-0123';
interface Received {
  id: string;
  ok: boolean;
  signed: boolean;
  body: { transferId: string; status: string; bootstrap: { id: string; to: string } | null };
}
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: AgentStack;
let worker: WorkerStack;
let receiver: Server;
const received: Received[] = [];

before(async () => {
  redis = await startTestRedis();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signed = verifyBody(
        SECRET,
        { timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string },
        raw,
      );
      const ok = received.length > 0; // the very first delivery fails: it must be retried
      received.push({ id: String(req.headers[EVENT_ID_HEADER]), ok, signed, body: JSON.parse(raw) });
      res.writeHead(ok ? 204 : 503).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  // The contact centre's webhook is a subscriber of the outbound event stream: the web publishes
  // what its intake does, the worker what its runs and receipts do, and delivers them.
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  s = await agentStack(redis.url, {
    prefix: '{t-agent-hook}',
    flows: FlowRegistry.fromDirectory(join(repoRoot, 'voice-flows')),
    env: { AGENT_WEBHOOK_URL: hook, AGENT_WEBHOOK_SECRET: SECRET },
  });
  worker = await workerStack(redis.url, {
    prefix: '{t-agent-hook}',
    config: {
      agent: { accountSid: null, apiBaseUrl: 'https://api.twilio.com', webhook: { url: hook, secret: SECRET } },
    },
  });
  await s.ready();
});
after(async () => {
  receiver.closeAllConnections();
  receiver.close();
  await worker.close();
  await s.close();
  await redis.stop();
});

test("state changes of an agent's bootstrap reach the contact centre, signed; a failed delivery is retried", async () => {
  const caller = s.caller({ inbox: devSmscInbox(worker.smsc) });
  const res = await s
    .transfer({ callSid: caller.callSid, agentId: 'agent-5', language: 'en', number: '+447400222333' })
    .expect(201);
  await s.twilio.settled(caller.callSid);
  await caller.press('1');
  await caller.press(await caller.waitForCode({ to: '+447400222333' }));

  // Another caller, not handed in: nobody is told about that one.
  const plain = s.sim({ from: '+447400222444', extra: { StirVerstat: 'TN-Validation-Passed-A' } });
  await plain.dial();
  await plain.press('1');
  await plain.press('07400222444');
  await plain.press('1');

  const delivered = await waitFor(
    'delivered event accepted',
    () => received.find((r) => r.ok && r.body.status === 'delivered'),
    20_000,
  );
  assert.equal(delivered.body.transferId, res.body.id);
  assert.equal(delivered.body.bootstrap?.to, '+44*******333');
  assert.ok(
    received.every((r) => r.signed),
    'every delivery carries a valid signature',
  );
  assert.ok(
    received.every((r) => r.body.transferId === res.body.id),
    'only the bootstrap an agent started',
  );
  assert.ok(!received.some((r) => JSON.stringify(r.body).includes('7400222333')), 'never the number in clear');
  const first = received[0]!;
  await waitFor('first event retried', () => received.find((r) => r.ok && r.id === first.id), 20_000);
  const perEvent = new Map<string, number>();
  for (const r of received.filter((x) => x.ok)) perEvent.set(r.id, (perEvent.get(r.id) ?? 0) + 1);
  assert.ok(
    [...perEvent.values()].every((n) => n === 1),
    'each change accepted exactly once',
  );
  assert.equal(await worker.app.lifecycle.publisher.publishPending(delivered.body.bootstrap!.id), 0, 'none left');
});

test('delivery outcomes: 2xx done, 5xx/429/408 retried, any other 4xx dropped for good', async () => {
  const transfers = s.agent.transfers;
  const now = new Date().toISOString();
  await transfers.create({
    id: 'hooktest00000000',
    kind: 'hand-in',
    flowId: 'bootstrap',
    status: 'in-flow',
    createdAt: now,
    updatedAt: now,
    agentId: 'a-1',
  });
  await s.store.create({
    id: 'bs-hooktest',
    msisdn: '+447400222555',
    flowId: 'bootstrap',
    pin: '1234',
    origin: { door: 'hotline', by: 'test', reference: 'agent-hooktest00000000' },
  });
  let answer = 204;
  const hits: string[] = [];
  const srv = createServer((req, res) => {
    hits.push(String(req.headers[EVENT_ID_HEADER]));
    req.resume();
    req.on('end', () => res.writeHead(answer).end());
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  try {
    const subscriber = agentSubscriber(
      { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, secret: SECRET },
      transfers,
    );
    const run = createEventProcessor({
      store: s.store,
      subscribers: new Map([['agent', subscriber]]),
      source: 'https://hotline.example.com',
      logger: silentLogger(),
    });
    // Timeline of a new bootstrap: requested (1), queued (2): the queued state event.
    const job = {
      id: 'evt-bs-hooktest-2-agent',
      data: { bootstrapId: 'bs-hooktest', seq: 2, subscriber: 'agent' },
      attemptsMade: 0,
    } as never;
    await run(job);
    for (const status of [500, 503, 429, 408]) {
      answer = status;
      await assert.rejects(
        run(job),
        (e: Error) => !(e instanceof UnrecoverableError) && e.message.includes(String(status)),
        String(status),
      );
    }
    for (const status of [400, 401, 404, 410]) {
      answer = status;
      await assert.rejects(run(job), (e: Error) => e instanceof UnrecoverableError, String(status));
    }
    assert.equal(hits.length, 9);
    assert.ok(
      hits.every((h) => h === 'bs-hooktest-2'),
      'the same event id on every try',
    );
  } finally {
    srv.close();
  }
});
