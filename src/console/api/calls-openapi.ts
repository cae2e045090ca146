/** OpenAPI paths of the execution traces and the flow tests (merged into flows-openapi.ts's document). */
const json = (schema: object) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' } };
const callSid = {
  name: 'callSid',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^CA[0-9a-fA-F]{32}$' },
};
const readers = {
  401: err('No operator or read-only token, or console session'),
  403: err('Not an operator or read-only token'),
};
const q = (name: string, schema: object, description: string) => ({ name, in: 'query', schema, description });

const TRACE_META = {
  type: 'object',
  description:
    'A call: flow, revision, source (call, simulator, test), draft (a test caller), masked caller, times, outcome',
  properties: {
    callSid: { type: 'string' },
    flow: { type: 'string' },
    revision: { type: 'string' },
    version: { type: 'integer' },
    source: { enum: ['call', 'simulator', 'test'] },
    draft: { type: 'boolean' },
    from: { type: 'string', description: 'Masked caller ID' },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    outcome: { enum: ['pushed', 'push-failed', 'agent', 'gave-up', 'refused', 'ended', 'hung-up', 'error'] },
    lastStep: { type: 'string' },
    bootstrapId: { type: 'string' },
  },
};

export const CALLS_PATHS = {
  '/api/calls': {
    get: {
      summary: 'Recent calls with their trace meta, newest first (operators and read-only tokens; numbers masked)',
      parameters: [
        q('flow', { type: 'string' }, 'Flow id'),
        q('revision', { type: 'string', pattern: '^[0-9a-f]{16}$' }, 'Revision the call ran'),
        q('outcome', TRACE_META.properties.outcome, 'How it ended'),
        q('source', TRACE_META.properties.source, 'Where it came from'),
        q('since', { type: 'string' }, 'Started at or after (ISO 8601 UTC or epoch ms)'),
        q('until', { type: 'string' }, 'Started at or before'),
        q('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }, 'At most this many'),
      ],
      responses: {
        200: {
          description: 'Calls',
          content: json({ type: 'object', properties: { calls: { type: 'array', items: TRACE_META } } }),
        },
        400: err('A filter is malformed'),
        ...readers,
      },
    },
  },
  '/api/calls/{callSid}': {
    get: {
      summary:
        "One call's execution trace: meta, every event (steps, prompts, keys masked, branches, SMS, push, " +
        'escalation, outcome) and its path',
      parameters: [callSid],
      responses: {
        200: {
          description: 'Trace',
          content: json({
            type: 'object',
            properties: {
              meta: TRACE_META,
              events: { type: 'array', items: { type: 'object' } },
              path: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
        404: err('No trace for that call (never seen, or past CALL_TRACE_DAYS)'),
        ...readers,
      },
    },
  },
  '/api/calls/{callSid}/graph': {
    get: {
      summary: 'SVG diagram of the exact revision the call ran',
      parameters: [callSid],
      responses: {
        200: { description: 'Diagram', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
        404: err('No trace, or that revision is no longer kept'),
        ...readers,
      },
    },
  },
} as const;

const TEST_RUN = {
  type: 'object',
  description: 'A run of the flow tests (FLOWS_DIR/tests/*.yaml) on one text of the flow',
  properties: {
    flow: { type: 'string' },
    revision: { type: 'string' },
    version: { type: 'string' },
    ranAt: { type: 'string', format: 'date-time' },
    passed: { type: 'integer' },
    failed: { type: 'integer' },
    cases: { type: 'array', items: { type: 'object' } },
    problems: { type: 'array', items: { type: 'string' } },
  },
};

export const TESTS_PATHS = {
  '/api/flows/{id}/tests': {
    get: {
      summary: 'The kept run of the flow tests on a version (null when they have not run on it)',
      parameters: [id, q('version', { type: 'string', default: 'draft' }, '"published", "draft" or a revision')],
      responses: {
        200: {
          description: 'Run',
          content: json({ type: 'object', properties: { run: { oneOf: [TEST_RUN, { type: 'null' }] } } }),
        },
      },
    },
    post: {
      summary: 'Run the flow tests on a version now (sandboxed: no SMS or push leaves bootline)',
      parameters: [id],
      requestBody: { content: json({ type: 'object', properties: { version: { type: 'string', default: 'draft' } } }) },
      responses: { 200: { description: 'Run', content: json(TEST_RUN) }, 404: err('No such flow or version') },
    },
  },
} as const;
