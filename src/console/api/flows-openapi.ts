/**
 * OpenAPI 3.1 description of the flow admin API (served at GET /api/openapi.json). Kept
 * beside the routes; test/integration/flows-admin-api.test.ts checks that every route the
 * router answers is described here and vice versa.
 */
import { CALLS_PATHS, TESTS_PATHS } from './calls-openapi.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' } };
const version = (name: string, dflt: string) => ({
  name,
  in: 'query',
  schema: {
    type: 'string',
    default: dflt,
    description: '"published", "draft", a revision number or a 16-hex revision id',
  },
});
const diagram = {
  description: 'Diagram',
  content: {
    'image/svg+xml': { schema: { type: 'string' } },
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'text/plain': { schema: { type: 'string' } },
  },
};
const common = {
  401: err('No operator token or console session'),
  403: err('Not an operator, or a cross-origin request'),
};
const ok = (description: string, schema: object) => ({ 200: { description, content: json(schema) } });

export const FLOWS_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'bootline flow admin API',
    version: '1',
    description:
      'Drafts, validation, publishing with history, rollback and diffs of the voice flows in FLOWS_DIR. ' +
      'Operators only: `Authorization: Bearer <operator token>` ' +
      '(optional `X-Bootline-Author: <name>` for the history) or the console session cookie.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'bl_console' },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['file', 'line', 'path', 'message'],
        properties: {
          file: { type: 'string' },
          line: { type: 'integer' },
          path: { type: 'string' },
          message: { type: 'string' },
        },
      },
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                enum: [
                  'BAD_REQUEST',
                  'API_UNAUTHORIZED',
                  'API_FORBIDDEN',
                  'FLOW_UNKNOWN',
                  'FLOW_CONFLICT',
                  'FLOW_DRAFT_INVALID',
                  'FLOW_REVISION_UNKNOWN',
                  'FLOW_TOO_LARGE',
                  'SIM_CALL_UNKNOWN',
                ],
              },
              message: { type: 'string' },
              seq: { type: 'integer' },
              diff: { type: 'string', description: 'unified diff of what you would overwrite (FLOW_CONFLICT)' },
              problems: { type: 'array', items: ref('Problem') },
            },
          },
        },
      },
      Author: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' } } },
      Revision: {
        type: 'object',
        properties: {
          n: { type: 'integer' },
          revision: { type: 'string' },
          version: { type: 'integer' },
          kind: { enum: ['initial', 'publish', 'rollback', 'disk'] },
          author: ref('Author'),
          at: { type: 'string', format: 'date-time' },
          message: { type: 'string' },
          parent: { type: ['string', 'null'] },
          added: { type: 'integer' },
          removed: { type: 'integer' },
        },
      },
      Summary: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          file: { type: 'string' },
          status: { enum: ['published', 'draft', 'new'] },
          seq: { type: 'integer' },
          live: { type: ['string', 'null'], description: 'revision this process serves' },
          published: { type: ['object', 'null'] },
          draft: { type: ['object', 'null'] },
        },
      },
    },
  },
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    '/api/flows': {
      get: {
        summary: 'List flows with status',
        responses: {
          ...ok('Flows', { type: 'object', properties: { flows: { type: 'array', items: ref('Summary') } } }),
          ...common,
        },
      },
    },
    '/api/flows/{id}': {
      get: {
        summary: 'Published text, draft text and its problems, seq',
        parameters: [id],
        responses: { ...ok('Flow', ref('Summary')), 404: err('No such flow'), ...common },
      },
    },
    '/api/flows/{id}/validate': {
      post: {
        summary: 'Validate a text without saving',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['text'],
            properties: { text: { type: 'string', maxLength: 200000 } },
          }),
        },
        responses: {
          ...ok('Validation', {
            type: 'object',
            properties: { valid: { type: 'boolean' }, problems: { type: 'array', items: ref('Problem') } },
          }),
          413: err('Text too large'),
          ...common,
        },
      },
    },
    '/api/flows/{id}/draft': {
      put: {
        summary: 'Save the draft (valid or not); refused with 409 and a diff when seq is stale',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['text', 'seq'],
            properties: { text: { type: 'string', maxLength: 200000 }, seq: { type: 'integer' } },
          }),
        },
        responses: {
          ...ok('Saved', {
            type: 'object',
            properties: { seq: { type: 'integer' }, problems: { type: 'array', items: ref('Problem') } },
          }),
          409: err('Changed by someone else'),
          413: err('Text too large'),
          ...common,
        },
      },
      delete: {
        summary: 'Discard the draft',
        parameters: [id, { name: 'seq', in: 'query', required: true, schema: { type: 'integer' } }],
        responses: {
          ...ok('Discarded', { type: 'object', properties: { seq: { type: 'integer' } } }),
          404: err('No draft'),
          409: err('Changed by someone else'),
          ...common,
        },
      },
    },
    '/api/flows/{id}/publish': {
      post: {
        summary: 'Validate and publish the draft atomically; records a revision',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['seq', 'message'],
            properties: {
              seq: { type: 'integer' },
              baseRevision: { type: 'string' },
              message: { type: 'string', maxLength: 500 },
              testsOverride: {
                type: 'string',
                maxLength: 300,
                description: "Why to publish although the draft's flow tests fail (kept in the history)",
              },
            },
          }),
        },
        responses: {
          ...ok('Published', ref('Revision')),
          404: err('No draft'),
          409: err('Draft or published version changed'),
          422: err('Draft invalid (problems listed), or its flow tests fail (FLOW_TESTS_FAILED, with the run)'),
          ...common,
        },
      },
    },
    '/api/flows/{id}/rollback': {
      post: {
        summary: 'Publish an earlier revision again, as a new revision',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['to'],
            properties: {
              to: { type: 'string', description: 'revision number or id' },
              baseRevision: { type: 'string' },
              message: { type: 'string' },
            },
          }),
        },
        responses: {
          ...ok('Rolled back', ref('Revision')),
          404: err('No such revision'),
          409: err('Already live, or published version changed'),
          422: err('That revision is invalid under the current rules'),
          ...common,
        },
      },
    },
    '/api/flows/{id}/revisions': {
      get: {
        summary: 'Revision history, newest first',
        parameters: [id],
        responses: {
          ...ok('History', { type: 'object', properties: { revisions: { type: 'array', items: ref('Revision') } } }),
          ...common,
        },
      },
    },
    '/api/flows/{id}/revisions/{rev}': {
      get: {
        summary: 'One revision: record, text and diff against its parent',
        parameters: [id, { name: 'rev', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { ...ok('Revision', ref('Revision')), 404: err('No such revision'), ...common },
      },
    },
    '/api/flows/{id}/diff': {
      get: {
        summary: 'Unified diff between two versions',
        parameters: [id, version('from', 'published'), version('to', 'draft')],
        responses: {
          ...ok('Diff', {
            type: 'object',
            properties: { from: { type: 'string' }, to: { type: 'string' }, diff: { type: 'string' } },
          }),
          ...common,
        },
      },
    },
    '/api/flows/{id}/graph': {
      get: {
        summary:
          'Diagram of a version (ELK layout): SVG with problems on their steps, PNG, or Mermaid text (valid versions)',
        parameters: [
          id,
          version('version', 'published'),
          { name: 'format', in: 'query', schema: { enum: ['svg', 'png', 'mermaid'], default: 'svg' } },
        ],
        responses: {
          200: diagram,
          400: err('Unknown format'),
          422: err('Not YAML, or Mermaid of an invalid version'),
          ...common,
        },
      },
      post: {
        summary: 'Diagram of a text being edited (not stored): what the console redraws as the operator types',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['text'],
            properties: { text: { type: 'string' }, format: { enum: ['svg', 'png', 'mermaid'] } },
          }),
        },
        responses: { 200: diagram, 400: err('Unknown format'), 422: err('Not YAML'), ...common },
      },
    },
    '/api/sim/calls': {
      post: {
        summary: 'Start a simulated call on a flow version (draft included)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['flow'],
            properties: { flow: { type: 'string' }, version: { type: 'string' }, from: { type: 'string' } },
          }),
        },
        responses: {
          ...ok('The call and what the caller hears', { type: 'object' }),
          422: err('That version is invalid'),
          ...common,
        },
      },
    },
    '/api/sim/calls/{call}': {
      get: {
        summary: 'The call: transcript, SMS the SMSC accepted, bootstrap status',
        parameters: [{ name: 'call', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { ...ok('Call', { type: 'object' }), 404: err('No such call'), ...common },
      },
      delete: {
        summary: 'Hang up',
        parameters: [{ name: 'call', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { ...ok('Ended', { type: 'object' }), 404: err('No such call'), ...common },
      },
    },
    '/api/sim/calls/{call}/keys': {
      post: {
        summary: 'Press keys ("" = stay silent until the timeout)',
        parameters: [{ name: 'call', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['digits'],
            properties: { digits: { type: 'string', pattern: '^[0-9*#]{0,32}$' } },
          }),
        },
        responses: { ...ok('What the caller hears next', { type: 'object' }), 404: err('No such call'), ...common },
      },
    },
    ...TESTS_PATHS,
    ...CALLS_PATHS,
  },
} as const;
