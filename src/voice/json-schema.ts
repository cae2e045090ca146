import { z } from 'zod';
import { FLOW_HEADER_SCHEMA, STEP_ID } from './flow.js';
import { STEP_MODULES } from './steps/registry.js';

/**
 * The JSON Schema of a flow file, generated from the same zod schemas the loader uses, so
 * editors (yaml-language-server, VS Code) validate and autocomplete exactly what bootline
 * accepts. `bootline flows schema` prints it; voice-flows/flow.schema.json is its output
 * (a unit test keeps the two equal). Cross-field rules (references, loops) stay in the CLI.
 */
export function flowJsonSchema(): Record<string, unknown> {
  const steps = [...STEP_MODULES.values()].map((m) => m.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
  const full = FLOW_HEADER_SCHEMA.extend({ steps: z.record(STEP_ID, z.discriminatedUnion('type', steps)) });
  const schema = z.toJSONSchema(full, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, $id: 'https://bootline.dev/schemas/voice-flow.json', title: 'bootline voice flow' };
}

export function flowJsonSchemaText(): string {
  return JSON.stringify(flowJsonSchema(), null, 2) + '\n';
}
