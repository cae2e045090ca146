/**
 * The one OpenAPI 3.1 document of every HTTP API the web process serves (GET /api/openapi.json).
 * Each capability describes its own routes beside them; this composes those parts, pushes each
 * part's default security down to its operations, tags them by part, and gives every part the one
 * error body. test/integration/openapi.test.ts lints the result and checks it names every route.
 */
import { AGENTS_OPENAPI } from '../agents/http/openapi.js';
import { FLOWS_OPENAPI } from '../console/api/flows-openapi.js';
import { withDeliveryApi } from '../deliveries/http/openapi.js';
import { DOORS_OPENAPI } from '../doors/openapi-doc.js';
import { ERROR_CATALOGUE } from '../errors.js';

type Json = Record<string, unknown>;
type Operation = Json & { summary?: string; description?: string; security?: unknown; responses?: Json };
interface Part {
  readonly tag: string;
  readonly description: string;
  readonly security?: readonly unknown[];
  readonly components?: { readonly schemas?: Json; readonly securitySchemes?: Json };
  readonly paths: Record<string, Record<string, Operation>>;
}

/** Every error answer: `{ error: { code, message, … } }`, the code from the catalogue (src/errors.ts). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: true,
      properties: {
        code: { enum: [...Object.keys(ERROR_CATALOGUE), 'INTERNAL'] },
        message: { type: 'string' },
        problems: { type: 'array', items: {}, description: 'Flow problems or request problems, where there are some' },
      },
    },
  },
};

const delivery = withDeliveryApi({ info: { description: '' }, paths: {}, components: { schemas: {} } });

const PARTS: readonly Part[] = [
  {
    tag: 'deliveries',
    description: "Bootstrap status with its timeline, retries, dead letters; the DM server's session signal.",
    security: [{ bearer: [] }],
    ...(delivery as unknown as Pick<Part, 'components' | 'paths'>),
  },
  { tag: 'flows', ...(FLOWS_OPENAPI as unknown as Omit<Part, 'tag'>), description: FLOWS_OPENAPI.info.description },
  { tag: 'doors', ...(DOORS_OPENAPI as unknown as Omit<Part, 'tag'>), description: DOORS_OPENAPI.info.description },
  { tag: 'agents', ...(AGENTS_OPENAPI as unknown as Omit<Part, 'tag'>), description: AGENTS_OPENAPI.info.description },
];

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Two parts describing one route (GET /api/bootstraps/{id}: delivery API and point of sale) become one operation. */
function mergeOperation(first: Operation, second: Operation): Operation {
  return {
    ...first,
    description: [first.description ?? first.summary, `Also: ${second.summary ?? ''}.`].join(' '),
    responses: { ...second.responses, ...first.responses },
  };
}

function addPaths(paths: Record<string, Json>, part: Part): void {
  for (const [path, item] of Object.entries(part.paths)) {
    const target = (paths[path] ??= {}) as Record<string, Operation>;
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const own: Operation = {
        ...op,
        tags: [part.tag],
        ...(op.security === undefined && path !== '/api/dm/sessions' ? { security: part.security ?? [] } : {}),
      };
      if (path === '/api/dm/sessions') own.security = [{ signature: [] }];
      target[method] = target[method] ? mergeOperation(target[method], own) : own;
    }
  }
}

export function composeOpenApi(parts: readonly Part[] = PARTS): Json {
  const schemas: Json = {};
  const securitySchemes: Json = {
    signature: {
      type: 'apiKey',
      in: 'header',
      name: 'x-bootline-signature',
      description: 'v1=<hex HMAC-SHA256(secret, "<x-bootline-timestamp>.<raw body>")>, within ±300 s, once',
    },
  };
  const paths: Record<string, Json> = {};
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part.components?.schemas ?? {})) {
      if (name === 'Error') continue;
      if (schemas[name] && !same(schemas[name], schema)) throw new Error(`OpenAPI parts disagree on schema ${name}`);
      schemas[name] = schema;
    }
    for (const [name, scheme] of Object.entries(part.components?.securitySchemes ?? {})) {
      if (securitySchemes[name] && !same(securitySchemes[name], scheme))
        throw new Error(`OpenAPI parts disagree on security scheme ${name}`);
      securitySchemes[name] = scheme;
    }
    addPaths(paths, part);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'bootline HTTP API',
      version: '1',
      description:
        'Every HTTP API of the bootline web process (Twilio webhooks under /voice are not an API: Twilio ' +
        'signs them). Tokens: `Authorization: Bearer <token>`, configured as SHA-256 hashes with a role in ' +
        'API_TOKENS (operator, agent, read-only, pos); 401 without a known token, 403 when the role may not.',
    },
    tags: parts.map((p) => ({ name: p.tag, description: p.description })),
    components: { securitySchemes, schemas: { Error: ERROR_SCHEMA, ...schemas } },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Built once: the parts are constants. */
export const OPENAPI_DOCUMENT: Json = composeOpenApi();
