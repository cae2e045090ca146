import { ROW_STATES } from './batch/scripts.js';
import { PROFILES, SEC_METHODS } from './intake.js';

/**
 * OpenAPI 3.1 description of the point-of-sale, bulk and network-event API and the self-service
 * page's JSON routes. Kept beside the routes; the composition root merges it into the one document
 * the app serves at GET /api/openapi.json (test/integration/openapi.test.ts lints it).
 */
const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const auth = { 401: err('No valid bearer token'), 403: err('The token’s role may not do this') };
const idParam = (pattern: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern } });
const E164 = { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$', example: '+447700900123' };
const BATCH_ID = '^bt[0-9a-f]{16}$';

export const DOORS_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'bootline point-of-sale, bulk and network-event API',
    version: '1',
    description:
      'Bootstraps for one number (a shop till), for a file of numbers (bulk), and from the network (CAMARA ' +
      'Device Swap / SIM Swap notifications, first attach). Tokens: `Authorization: Bearer <token>` with role ' +
      'pos or operator (API_TOKENS); network events use the sink token NETWORK_EVENTS_TOKEN. Every way in ' +
      'gets the same destination policy, rate limits and SIM-swap blocks as the hotline.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      BootstrapRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['msisdn'],
        properties: {
          msisdn: E164,
          profile: { enum: PROFILES, description: 'Default: what this deployment pushes (cp)' },
          sec: { enum: SEC_METHODS, description: 'Default: PUSH_SECURITY; NETWPIN needs the subscriber lookup' },
          imei: { type: 'string', pattern: '^\\d{14,16}$', description: 'Only its TAC (first 8 digits) is kept' },
          reference: { type: 'string', pattern: '^[\\x20-\\x7e]{1,64}$', description: 'Your own reference' },
        },
      },
      BootstrapAccepted: {
        type: 'object',
        required: ['id', 'state'],
        properties: {
          id: { type: 'string' },
          state: { enum: ['queued', 'submitted', 'delivered', 'failed', 'expired'] },
          pin: { type: 'string', description: 'Only in this answer (and its Idempotency-Key replays), never again' },
        },
      },
      Origin: {
        type: 'object',
        properties: {
          door: { enum: ['hotline', 'web', 'pos', 'batch', 'network'] },
          by: { type: 'string', description: 'Masked: a token’s hash prefix, a call, an address range, an event' },
          reference: { type: 'string' },
        },
      },
      Batch: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: BATCH_ID },
          phase: { enum: ['running', 'waiting', 'done', 'rejected'] },
          owner: { type: 'string', description: 'Who submitted it, masked: the role and its token’s hash prefix' },
          rows: { type: 'object', properties: { total: {}, valid: {}, invalid: {} } },
          counts: { type: 'object', description: `Rows per state: pending, ${ROW_STATES.join(', ')}` },
          progress: {
            type: 'object',
            description: 'Fractions of the valid rows asked for, past the SMSC, and final',
            properties: { asked: { type: 'number' }, sent: { type: 'number' }, final: { type: 'number' } },
          },
        },
      },
      CloudEvent: {
        type: 'object',
        required: ['specversion', 'id', 'source', 'type'],
        properties: {
          specversion: { const: '1.0' },
          id: { type: 'string' },
          source: { type: 'string' },
          type: {
            type: 'string',
            examples: [
              'org.camaraproject.device-swap-subscriptions.v0.swapped',
              'org.camaraproject.sim-swap-subscriptions.v0.swapped',
              'org.bootline.network.device-attached',
            ],
          },
          time: { type: 'string', format: 'date-time' },
          data: { type: 'object', properties: { phoneNumber: E164, imei: { type: 'string' } } },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/api/bootstraps': {
      post: {
        summary: 'A bootstrap for one number (role pos or operator)',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            schema: { type: 'string', maxLength: 255 },
            description: 'Same key (per token) and body: the same answer and one push, for an hour',
          },
        ],
        requestBody: { required: true, content: json(ref('BootstrapRequest')) },
        responses: {
          202: { description: 'Queued', content: json(ref('BootstrapAccepted')) },
          400: err('Malformed body'),
          ...auth,
          422: err('BOOTSTRAP_OPTION_UNSUPPORTED, or IDEMPOTENCY_KEY_REUSED'),
          429: err('RATE_LIMITED (Retry-After)'),
        },
      },
    },
    '/api/bootstraps/{id}': {
      get: {
        summary: 'A bootstrap’s state with its origin (pos tokens: only their own)',
        parameters: [idParam('^[A-Za-z0-9_-]{1,80}$')],
        responses: {
          200: { description: 'The status view plus origin, profile, sec, tac' },
          ...auth,
          404: err('None'),
        },
      },
    },
    '/api/batches': {
      post: {
        summary: 'A file of rows, streamed: CSV with a header, or JSON lines (at most 100,000 rows)',
        parameters: [
          { name: 'profile', in: 'query', schema: { enum: PROFILES } },
          { name: 'sec', in: 'query', schema: { enum: SEC_METHODS } },
          { name: 'onInvalid', in: 'query', schema: { enum: ['skip', 'reject'], default: 'skip' } },
        ],
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string', description: 'msisdn[,pin,sec,profile,imei,reference]' } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: {
          202: { description: 'Accepted: batchId, rows, valid, invalid, the first errors (row, line)' },
          400: err('Unreadable file or header'),
          ...auth,
          413: err('BATCH_TOO_LARGE'),
          415: err('Neither CSV nor JSON lines'),
          422: err('BATCH_REJECTED (onInvalid=reject and invalid rows): nothing pushed'),
        },
      },
      get: {
        summary: 'The latest 50 batches, newest first (pos tokens: only their own)',
        responses: {
          200: {
            description: 'The batches',
            content: json({ type: 'object', properties: { batches: { type: 'array', items: ref('Batch') } } }),
          },
          ...auth,
        },
      },
    },
    '/api/batches/{id}': {
      get: {
        summary: 'Counts per row state and progress',
        parameters: [idParam(BATCH_ID)],
        responses: { 200: { description: 'The batch', content: json(ref('Batch')) }, ...auth, 404: err('None') },
      },
    },
    '/api/batches/{id}/rows': {
      get: {
        summary: 'Rows in one state, with their errors, in row order',
        parameters: [
          idParam(BATCH_ID),
          { name: 'state', in: 'query', schema: { enum: ROW_STATES, default: 'failed' } },
          { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        ],
        responses: { 200: { description: '{ rows: [{ row, state, to, bootstrapId, error }], next }' }, ...auth },
      },
    },
    '/setup/state': {
      get: {
        summary: 'The self-service page’s own poll: the state of this browser session’s bootstrap',
        security: [],
        responses: {
          200: { description: '{ state, text (in the page language), final }' },
          404: err('No bootstrap in this session'),
        },
      },
    },
    '/setup/challenge': {
      get: {
        summary: 'A fresh ALTCHA proof-of-work challenge for the self-service page (SETUP_CHALLENGE)',
        security: [],
        responses: { 200: { description: 'The challenge (algorithm, challenge, salt, signature, maxnumber)' } },
      },
    },
    '/events/network': {
      post: {
        summary: 'A CloudEvents 1.0 notification in structured mode (the sink of CAMARA subscriptions)',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/cloudevents+json': { schema: ref('CloudEvent') } } },
        responses: {
          202: { description: 'Done: { id, action: bootstrap|block|ignore, bootstrapId?, until? }' },
          200: { description: 'Already handled (same source and id): the first answer, nothing done again' },
          400: err('EVENT_INVALID'),
          401: err('No or wrong sink token'),
          403: err('DESTINATION_REFUSED or NUMBER_BLOCKED'),
          415: err('Not application/cloudevents+json'),
        },
      },
    },
  },
} as const;
