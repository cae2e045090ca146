/** Renders ENV_SCHEMA as docs/reference/configuration.md; test/unit/docs-generated.test.ts keeps them equal. */
import { z } from 'zod';
import { ENV_SCHEMA } from './schema.js';

interface Prop {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description?: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (v: unknown) => `\`${String(v)}\``;

function accepts(p: Prop): string {
  if (p.enum) return p.enum.map(code).join(', ');
  if (p.type === 'integer' || p.type === 'number') {
    const kind = p.type === 'integer' ? 'whole number' : 'number';
    if (p.minimum !== undefined && p.maximum !== undefined) return `${kind} ${p.minimum}–${p.maximum}`;
    if (p.minimum !== undefined) return `${kind} ≥ ${p.minimum}`;
    return kind;
  }
  return 'text';
}

/** One row per variable, in the schema's order (grouped by the part of bootline that reads it). */
export function renderConfigurationDoc(): string {
  const schema = z.toJSONSchema(ENV_SCHEMA, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, Prop>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties).map(([name, p]) => {
    const dflt = required.has(name) ? '**required**' : p.default !== undefined ? code(p.default) : '—';
    return `| \`${name}\` | ${cell(dflt)} | ${cell(accepts(p))} | ${cell(p.description ?? '')} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Rendered from ENV_SCHEMA (src/config/schema.ts and the parts it spreads in) by `npm run docs`;',
    '     test/unit/docs-generated.test.ts fails when this file is stale. Do not edit by hand. -->',
    '',
    'bootline reads its settings from the environment once, at start (`loadConfig`, `src/config/`): every',
    'problem is listed and the process exits 1. Nothing else reads the environment. `npm start` (the dev',
    'stack) supplies what is required and not set: a dev SMSC, a DM server stand-in, generated secrets in',
    '`.data/`, an operator API token. A production deployment sets at least the **required** ones.',
    '',
    '| Variable | Default | Accepts | Meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
