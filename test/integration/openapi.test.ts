// The one OpenAPI document the app serves: a real validator accepts it, and it names every API route
// the Express app registers (and nothing the app does not serve).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validate } from '@readme/openapi-parser';
import request from 'supertest';
import { hashToken } from '../../src/platform/http/auth.js';
import { startTestRedis } from '../helpers/redis.js';
import { webStack, type WebStack } from '../helpers/stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;

before(async () => {
  redis = await startTestRedis();
  // Everything mounted: agents (account), network events (sink token), the DM signal (secret), tokens.
  web = webStack(redis.url, {
    prefix: 'oa',
    env: {
      TWILIO_ACCOUNT_SID: `AC${'a1'.repeat(16)}`,
      NETWORK_EVENTS_TOKEN: 'n'.repeat(24),
      DM_REGISTER_URL: 'http://127.0.0.1:9/register',
      DM_REGISTER_SECRET: 's'.repeat(24),
    },
    doors: { tokens: [{ role: 'operator', sha256: hashToken('operator-token-0123456789') }], batchWorker: false },
  });
  await web.ready();
});
after(async () => {
  await web.close();
  await redis.stop();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** `METHOD /path/{param}` for every route in an Express 5 router stack, mounted prefixes included. */
function routes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((l) => {
    if (l.route)
      return Object.keys(l.route.methods).map((m) =>
        `${m.toUpperCase()} ${prefix}${l.route!.path.replace(/:(\w+)/g, '{$1}')}`.replace(/\/$/, ''),
      );
    if (!l.handle?.stack) return [];
    const mount = !l.slash && typeof l.rawPath === 'string' && l.rawPath !== '/' ? l.rawPath : '';
    return routes(l.handle.stack, prefix + mount);
  });
}

const API = /^[A-Z]+ \/(api|events)\//;
const SELF = new Set(['GET /api/openapi.json', 'GET /api/doors/openapi.json']);

test('GET /api/openapi.json is one OpenAPI 3.1 document a validator accepts', async () => {
  const res = await request(web.app).get('/api/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
  const result = await validate(structuredClone(res.body));
  assert.ok(result.valid, JSON.stringify(result, null, 2));
  for (const tag of ['deliveries', 'flows', 'doors', 'agents'])
    assert.ok(
      res.body.tags.some((t: { name: string }) => t.name === tag),
      `${tag} described`,
    );
});

test('the document names every API route the app serves, and only those', async () => {
  const doc = (await request(web.app).get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  const served = [...new Set(routes((web.web.app as unknown as { router: { stack: Layer[] } }).router.stack))]
    .filter((r) => API.test(r) && !SELF.has(r))
    .sort();
  const described = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .filter((r) => API.test(r))
    .sort();
  assert.ok(served.length > 30, `walked the router: ${served.length} routes`);
  assert.deepEqual(described, served);
  for (const r of ['POST /api/agent/transfers', 'GET /api/dead-letter', 'POST /api/batches', 'GET /api/flows/{id}'])
    assert.ok(served.includes(r), `${r} is served and described`);
});

test('every error response uses the one error body, whose codes are the catalogue', async () => {
  const doc = (await request(web.app).get('/api/openapi.json')).body;
  assert.ok(doc.components.schemas.Error.properties.error.properties.code.enum.includes('AGENT_TOKEN_USED'));
});

test("the doors' former document URL redirects to the one document", async () => {
  const res = await request(web.app).get('/api/doors/openapi.json');
  assert.equal(res.status, 308);
  assert.equal(res.headers.location, '/api/openapi.json');
});
