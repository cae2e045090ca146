/** Renders the flow-file and step schemas as docs/reference/flow-steps.md (test/unit/docs-generated.test.ts). */
import { z } from 'zod';
import { FLOW_HEADER_SCHEMA, LANG_KEY, PROMPT_KEY, STEP_ID } from './flow.js';
import { INPUT_FIELDS } from './steps/common.js';
import { STEP_MODULES } from './steps/registry.js';

interface Json {
  readonly type?: string | string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Record<string, Json>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Json | boolean;
  readonly items?: Json;
  readonly anyOf?: readonly Json[];
}

const toJson = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
const patternOf = (s: z.ZodType) => toJson(s).pattern;
const NAMED: Record<string, string> = {
  [patternOf(STEP_ID) ?? '-']: 'step id',
  [patternOf(PROMPT_KEY) ?? '-']: 'prompt key',
  [patternOf(LANG_KEY) ?? '-']: 'language key',
};
/** Meaning of a field that has no description of its own, by its type. */
const FALLBACK: Record<string, string> = {
  'step id': 'The step to go to',
  'prompt key': 'The prompt to say (a key under prompts)',
  '{ prompt, next }': 'Say the prompt, then go to the step',
  '{ prompt, next? }': 'Say the prompt, then go to the step (or ask again)',
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A short, human name for a JSON Schema type: "step id", "whole number 1–30", "{ prompt, next? }". */
function typeName(j: Json): string {
  if (j.anyOf) return j.anyOf.map(typeName).join(' or ');
  if (j.enum) return j.enum.map((v) => `\`${String(v)}\``).join(', ');
  if (j.const !== undefined) return `\`${String(j.const)}\``;
  if (j.type === 'string') return (j.pattern && NAMED[j.pattern]) || (j.format === 'uri' ? 'URL' : 'text');
  if (j.type === 'integer' || j.type === 'number') {
    const range =
      j.minimum !== undefined && j.maximum !== undefined && j.maximum < 1e9 ? ` ${j.minimum}–${j.maximum}` : '';
    return `${j.type === 'integer' ? 'whole number' : 'number'}${range}`;
  }
  if (j.type === 'boolean') return 'true/false';
  if (j.type === 'array') return `list of ${j.items ? typeName(j.items) : 'values'}`;
  if (j.properties) {
    const req = new Set(j.required ?? []);
    return `{ ${Object.keys(j.properties)
      .map((k) => (req.has(k) ? k : `${k}?`))
      .join(', ')} }`;
  }
  if (j.type === 'object' && typeof j.additionalProperties === 'object')
    return `map of key → ${typeName(j.additionalProperties)}`;
  return 'any';
}

function fieldRows(j: Json, skip: ReadonlySet<string>): string[] {
  const req = new Set(j.required ?? []);
  return Object.entries(j.properties ?? {})
    .filter(([k]) => !skip.has(k))
    .map(([k, p]) => {
      const dflt = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : req.has(k) ? '**required**' : '—';
      const meaning = p.description ?? FALLBACK[typeName(p)] ?? '';
      return `| \`${k}\` | ${cell(typeName(p))} | ${cell(dflt)} | ${cell(meaning)} |`;
    });
}

const HEAD = ['| Field | Type | Default | Meaning |', '|---|---|---|---|'];
const INPUT_KEYS = new Set(Object.keys(INPUT_FIELDS));

function stepSection(type: string): string[] {
  const m = STEP_MODULES.get(type)!;
  const j = toJson(m.schema as z.ZodType);
  const input = m.kind === 'input' && Object.keys(INPUT_FIELDS).every((k) => j.properties?.[k]);
  const rows = fieldRows(j, new Set(['type', ...(input ? INPUT_KEYS : [])]));
  return [
    `### \`${type}\``,
    '',
    `${j.description ?? ''} Kind: ${m.kind}${input ? '; it also takes the input fields above' : ''}.`,
    '',
    ...(rows.length ? [...HEAD, ...rows] : ['No fields of its own.']),
    '',
  ];
}

export function renderFlowStepsDoc(): string {
  return [
    '# Flow files and steps',
    '',
    '<!-- Rendered from the flow and step schemas (src/voice/flow.ts, src/voice/steps/) by `npm run docs`;',
    '     test/unit/docs-generated.test.ts fails when this file is stale. Do not edit by hand. -->',
    '',
    'A voice flow is one YAML file in `FLOWS_DIR` (`voice-flows/`). These are the fields bootline accepts;',
    'rules that span fields (references, reachability, loops that never wait, prompts in every language,',
    'voices that speak their language) are checked by `bootline flows check` and at load',
    '([the voice-flows guide](../guides/voice-flows.md)). Editors get the same rules from',
    '`voice-flows/flow.schema.json` (`bootline flows schema`).',
    '',
    '## The flow file',
    '',
    ...HEAD,
    ...fieldRows(toJson(FLOW_HEADER_SCHEMA), new Set()),
    '',
    '## Fields of every input step',
    '',
    'Input steps wait for keys: the prompt is nested in the `<Gather>`, so keys interrupt it. Without `next`, a',
    'retry branch says its prompt and asks again.',
    '',
    ...HEAD,
    ...fieldRows(toJson(z.strictObject(INPUT_FIELDS)), new Set()),
    '',
    '## Step types',
    '',
    ...[...STEP_MODULES.keys()].flatMap(stepSection),
  ].join('\n');
}
