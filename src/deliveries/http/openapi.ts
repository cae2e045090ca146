/**
 * OpenAPI 3.1 description of the delivery API (bootstrap status with its timeline, retry, dead
 * letters) and the DM session signal. Merged into the document the app serves at
 * GET /api/openapi.json; test/integration/dm-sessions.test.ts checks every route is described.
 */
import { DOORS } from '../record.js';
import { FAILURE_CAUSES, STATE_NAMES } from '../lifecycle.js';
import { TIMELINE_EVENTS } from '../timeline.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const str = { type: 'string' };
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });
const time = { type: 'string', format: 'date-time' };
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' } };
const read = { 401: err('No or unknown token'), 403: err('The role may not do this') };

const SCHEMAS = {
  TimelineEvent: {
    type: 'object',
    required: ['seq', 'at', 'event'],
    properties: {
      seq: { type: 'integer', minimum: 1, description: 'Order of the event; the outbound event id is <id>-<seq>' },
      at: time,
      event: { enum: Object.keys(TIMELINE_EVENTS) },
      round: { type: 'integer' },
      door: { enum: [...DOORS] },
      by: { ...str, description: 'The masked actor (masked caller id, clerk, batch row, network event)' },
      reference: str,
      segment: { type: 'integer', description: '1-based, as in the concatenation IE' },
      smscId: str,
      state: { ...str, description: 'Receipt stat of a failing segment' },
      err: str,
      cause: { enum: Object.keys(FAILURE_CAUSES) },
      detail: str,
      reportedAt: { ...time, description: "The DM server's time of a session event" },
      retry: { type: 'boolean' },
      deviceProfile: { ...str, description: 'submitted: the device profile the message was built for' },
    },
  },
  Bootstrap: {
    type: 'object',
    properties: {
      id: str,
      status: { enum: STATE_NAMES },
      to: { ...str, description: 'The number: in full for operators, masked (+44*******123) for other roles' },
      flowId: str,
      origin: {
        type: 'object',
        properties: { door: { enum: [...DOORS] }, by: str, reference: nullable('string') },
      },
      profile: { enum: ['cp', 'dm'] },
      sec: nullable('string', { enum: ['USERPIN', 'NETWPIN', 'USERNETWPIN', 'USERPINMAC', null] }),
      tac: nullable('string'),
      deviceProfile: nullable('string', {
        description: 'The device profile the push was built for (docs/reference/device-profiles.md)',
      }),
      matchedBy: nullable('string', {
        enum: ['request', 'tac', 'operator', 'default', null],
        description: "Why: the request named it, its IMEI's TAC, the operator's, the table's default",
      }),
      tnds: nullable('string', { enum: ['inline', 'opaque', 'xml-text', 'wbxml-hex', null], description: 'DM only' }),
      dataCoding: nullable('string', { enum: ['0x04', '0xF5', null] }),
      round: { type: 'integer' },
      dmRegistered: { type: 'boolean' },
      timestamps: { type: 'object', additionalProperties: nullable('string') },
      segmentCount: nullable('integer'),
      segments: { type: 'array', items: { type: 'object' } },
      cause: {
        type: ['object', 'null'],
        properties: { code: { enum: Object.keys(FAILURE_CAUSES) }, detail: str },
      },
      error: { type: ['object', 'null'] },
      timeline: { type: 'array', items: ref('TimelineEvent'), description: 'By id only' },
    },
  },
  DmSessionSignal: {
    type: 'object',
    required: ['serverId', 'clientName', 'event', 'at'],
    additionalProperties: false,
    properties: {
      serverId: { ...str, description: 'DM_SERVER_ID' },
      clientName: { ...str, description: 'The APPSRV AAUTHNAME bootline registered for the device' },
      event: { enum: ['session-started', 'auth-failed'] },
      at: { ...time, description: "The DM server's time of the session" },
      cause: { ...str, maxLength: 200, description: 'auth-failed: why (e.g. bad-digest, unknown-nonce)' },
    },
  },
} as const;

const PATHS = {
  '/api/bootstraps/{id}': {
    get: {
      summary: 'One bootstrap: state, origin, choices, segments, failure cause and its timeline',
      parameters: [id],
      responses: {
        200: { description: 'The bootstrap', content: json(ref('Bootstrap')) },
        404: err('No bootstrap with that id'),
        ...read,
      },
    },
  },
  '/api/bootstraps': {
    get: {
      summary: 'The bootstraps of a number, newest first (no timeline)',
      parameters: [{ name: 'msisdn', in: 'query', required: true, schema: { type: 'string', pattern: '^\\+\\d+$' } }],
      responses: {
        200: {
          description: 'Bootstraps',
          content: json({ type: 'object', properties: { bootstraps: { type: 'array', items: ref('Bootstrap') } } }),
        },
        400: err('Not an E.164 number'),
        ...read,
      },
    },
  },
  '/api/bootstraps/{id}/retry': {
    post: {
      summary: 'A failed or expired bootstrap again, in its next round (operator, agent)',
      parameters: [id],
      responses: {
        202: { description: 'Queued', content: json({ type: 'object' }) },
        404: err('No bootstrap with that id'),
        409: err('Not failed or expired (BOOTSTRAP_NOT_RETRYABLE)'),
        410: err('The PIN has expired (BOOTSTRAP_SECRET_EXPIRED)'),
        ...read,
      },
    },
  },
  '/api/dead-letter': {
    get: {
      summary: 'Jobs that failed for good, per queue (bootstrap, dm-register, sms, enrolment, events)',
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }],
      responses: { 200: { description: 'Dead letters', content: json({ type: 'object' }) }, ...read },
    },
  },
  '/api/dm/sessions': {
    post: {
      summary: 'The DM server reports a device session (enrolment signal)',
      description:
        'Signed like credential registrations: `x-bootline-timestamp: <unix s>` and ' +
        '`x-bootline-signature: v1=<hex HMAC-SHA256(DM_REGISTER_SECRET, "<timestamp>.<raw body>")>`, ' +
        'within ±300 s; a signature is accepted once (a replay answers 409). `session-started` moves ' +
        'the bootstrap to `enrolled`; `auth-failed` ends it as `failed` with cause DM_AUTH_FAILED.',
      security: [],
      requestBody: { required: true, content: json(ref('DmSessionSignal')) },
      responses: {
        200: {
          description: 'Applied (or already applied): the bootstrap and its state',
          content: json({
            type: 'object',
            properties: { bootstrapId: str, state: { enum: STATE_NAMES }, changed: { type: 'boolean' } },
          }),
        },
        400: err('Malformed body, or another DM server id'),
        401: err('Signature or timestamp wrong (SIGNATURE_INVALID)'),
        404: err('No bootstrap registered that client name'),
        409: err('This signed request was already accepted (SIGNATURE_REPLAYED)'),
      },
    },
  },
} as const;

/** The served document: `base` (the flow admin API) with the delivery API's paths and schemas. */
export function withDeliveryApi<
  T extends { paths: object; components: { schemas: object }; info: { description: string } },
>(base: T): T {
  return {
    ...base,
    info: {
      ...base.info,
      description:
        `${base.info.description} Also: bootstrap status with timelines, retries, dead letters ` +
        "(API tokens), and the DM server's session signal.",
    },
    components: { ...base.components, schemas: { ...base.components.schemas, ...SCHEMAS } },
    paths: { ...base.paths, ...PATHS },
  };
}

export const DELIVERY_OPENAPI_PATHS = PATHS;
