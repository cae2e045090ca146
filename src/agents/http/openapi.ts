/**
 * OpenAPI 3.1 paths of the support-agent API (api.ts), merged by the composition root into the one
 * document the app serves at GET /api/openapi.json. The request body is rendered from the same zod
 * schema the route checks.
 */
import { z } from 'zod';
import { TRANSFER_REQUEST } from './api.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const str = { type: 'string' };
const nullStr = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' } };
const auth = { 401: err('No or unknown token'), 403: err('The role may not do this') };
const { $schema: _drop, ...transferRequest } = z.toJSONSchema(TRANSFER_REQUEST, { io: 'input' }) as Record<
  string,
  unknown
>;

const SCHEMAS = {
  TransferRequest: transferRequest,
  AgentBootstrap: {
    type: 'object',
    description: 'A bootstrap as an agent sees it: masked number, no SMSC ids or texts',
    properties: {
      id: str,
      status: str,
      to: { ...str, description: 'Masked, e.g. +44*******123' },
      flowId: nullStr,
      round: { type: 'integer' },
      timestamps: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
      segments: {
        type: 'object',
        properties: { total: { type: ['integer', 'null'] }, delivered: { type: 'integer' } },
      },
      errorCode: nullStr,
    },
  },
  Transfer: {
    type: 'object',
    properties: {
      id: str,
      kind: { enum: ['handin', 'code'] },
      status: { ...str, description: 'pending, redirected, in-flow or failed (with Twilio’s error)' },
      flow: str,
      callSid: nullStr,
      agentId: nullStr,
      ticketId: nullStr,
      language: nullStr,
      prefilled: { type: 'boolean', description: 'A number was given (it is stored sealed, never shown again)' },
      returnTo: nullStr,
      createdAt: time,
      updatedAt: time,
      error: { type: ['object', 'null'] },
      bootstrap: { oneOf: [ref('AgentBootstrap'), { type: 'null' }] },
      code: { ...str, description: 'Cold transfer only: 6 digits the caller keys in after pressing 9' },
      codeExpiresAt: time,
    },
  },
};

const PATHS = {
  '/api/agent/transfers': {
    post: {
      summary: 'Hand a live call into a flow (callSid), or get a cold-transfer code (role agent or operator)',
      requestBody: { required: true, content: json(ref('TransferRequest')) },
      responses: {
        201: { description: 'The transfer (and the code, without callSid)', content: json(ref('Transfer')) },
        400: err('Malformed request'),
        ...auth,
        404: err('AGENT_CALL_NOT_FOUND: Twilio knows no such call (twilioCode 20404)'),
        409: err('AGENT_CALL_NOT_ACTIVE: the call is over (twilioCode 21220)'),
        422: err('AGENT_NUMBER_REFUSED: the number fails the flow’s phone policy (reason)'),
        502: err('TWILIO_REST_ERROR (twilioCode, twilioStatus)'),
        503: err('AGENT_NOT_CONFIGURED: no TWILIO_ACCOUNT_SID'),
      },
    },
  },
  '/api/agent/transfers/{id}': {
    get: {
      summary: 'A transfer and its bootstrap, agent view (kept 24 hours)',
      parameters: [id],
      responses: { 200: { description: 'The transfer', content: json(ref('Transfer')) }, ...auth, 404: err('None') },
    },
  },
  '/api/agent/bootstraps': {
    get: {
      summary: 'The bootstraps of a number, agent view, newest first',
      parameters: [{ name: 'msisdn', in: 'query', required: true, schema: { type: 'string', pattern: '^\\+\\d+$' } }],
      responses: {
        200: {
          description: 'Bootstraps',
          content: json({
            type: 'object',
            properties: { bootstraps: { type: 'array', items: ref('AgentBootstrap') } },
          }),
        },
        400: err('msisdn is not E.164'),
        ...auth,
      },
    },
  },
  '/api/agent/bootstraps/{id}': {
    get: {
      summary: 'One bootstrap, agent view',
      parameters: [id],
      responses: {
        200: { description: 'The bootstrap', content: json(ref('AgentBootstrap')) },
        ...auth,
        404: err('BOOTSTRAP_NOT_FOUND'),
      },
    },
  },
};

export const AGENTS_OPENAPI = {
  info: {
    description:
      'Support agents: hand-ins and cold-transfer codes, transfer and bootstrap status in the agent view. ' +
      'Tokens with role agent or operator (reads: any role).',
  },
  components: { schemas: SCHEMAS },
  security: [{ bearer: [] }],
  paths: PATHS,
};
