import type { FlowForCheck, FlowIssue } from './context.js';
import { didYouMean } from '../platform/suggest.js';
import { PROMPT_VARIABLES } from './flow.js';
import { loopsWithoutInput, promptsOf, reachable, refsOf } from './graph.js';
import { splitPrompt } from './speech.js';
import { STEP_MODULES } from './steps/registry.js';
import { voiceProblem } from './voices.js';

type Step = Readonly<Record<string, unknown>>;

function languageIssues(flow: FlowForCheck): FlowIssue[] {
  const out: FlowIssue[] = [];
  if (!flow.languages[flow.defaultLanguage])
    out.push({ path: ['defaultLanguage'], message: `language "${flow.defaultLanguage}" is not declared` });
  for (const [lang, l] of Object.entries(flow.languages)) {
    const p = voiceProblem(l.voice, l.language);
    if (p) out.push({ path: ['languages', lang, 'voice'], message: p });
  }
  for (const [lang, prompts] of Object.entries(flow.prompts)) {
    if (!flow.languages[lang])
      out.push({ path: ['prompts', lang], message: `prompts for undeclared language "${lang}"` });
    for (const [key, text] of Object.entries(prompts)) {
      for (const part of splitPrompt(text)) {
        if ('name' in part && !(PROMPT_VARIABLES as readonly string[]).includes(part.name)) {
          out.push({
            path: ['prompts', lang, key],
            message: `unknown placeholder {${part.name}} (known: ${PROMPT_VARIABLES.map((v) => `{${v}}`).join(', ')})`,
          });
        }
      }
    }
  }
  return out;
}

/** Every prompt key used must exist in every declared language; SMS texts must carry the code. */
function promptIssues(flow: FlowForCheck, path: PropertyKey[], obj: Step): FlowIssue[] {
  const out: FlowIssue[] = [];
  for (const use of promptsOf(obj)) {
    for (const lang of Object.keys(flow.languages)) {
      const text = flow.prompts[lang]?.[use.target];
      if (!text)
        out.push({
          path: [...path, ...use.path],
          message:
            `prompt "${use.target}" missing in language "${lang}"` +
            didYouMean(use.target, Object.keys(flow.prompts[lang] ?? {})),
        });
      else if (use.path.at(-1) === 'smsPrompt' && !text.includes('{code}'))
        out.push({ path: ['prompts', lang, use.target], message: 'an SMS prompt must contain {code}' });
    }
  }
  return out;
}

const missingStep = (flow: FlowForCheck, target: string) =>
  `refers to missing step "${target}"${didYouMean(target, Object.keys(flow.steps))}`;

function stepIssues(flow: FlowForCheck, id: string, step: Step, parsed: Step | undefined): FlowIssue[] {
  const out: FlowIssue[] = [];
  for (const r of refsOf(step))
    if (!flow.steps[r.target]) out.push({ path: ['steps', id, ...r.path], message: missingStep(flow, r.target) });
  out.push(...promptIssues(flow, ['steps', id], step));
  if (step.type === 'menu') {
    for (const [key, opt] of Object.entries((step.options ?? {}) as Record<string, { language?: string }>)) {
      if (flow.escapes[key])
        out.push({
          path: ['steps', id, 'options', key],
          message: `key ${key} is the escape to "${flow.escapes[key]}" in every step`,
        });
      if (opt.language && !flow.languages[opt.language])
        out.push({
          path: ['steps', id, 'options', key, 'language'],
          message: `language "${opt.language}" is not declared`,
        });
    }
  }
  const mod = STEP_MODULES.get(String(step.type));
  if (parsed)
    for (const i of mod?.check?.(parsed as never, flow) ?? [])
      out.push({ path: ['steps', id, ...i.path], message: i.message });
  return out;
}

function flowLevelIssues(flow: FlowForCheck): FlowIssue[] {
  const out: FlowIssue[] = [];
  if (!flow.steps[flow.start])
    out.push({ path: ['start'], message: `no step "${flow.start}"${didYouMean(flow.start, Object.keys(flow.steps))}` });
  if (flow.handIn && !flow.steps[flow.handIn.start])
    out.push({ path: ['handIn', 'start'], message: missingStep(flow, flow.handIn.start) });
  for (const [key, target] of Object.entries(flow.escapes)) {
    if (!flow.steps[target]) out.push({ path: ['escapes', key], message: missingStep(flow, target) });
  }
  if (flow.onError) {
    const target = flow.steps[flow.onError.next];
    if (!target) out.push({ path: ['onError', 'next'], message: missingStep(flow, flow.onError.next) });
    // The error route must work with Redis down: only steps that need no call state.
    else if (!['transfer-to-agent', 'hangup'].includes(target.type))
      out.push({
        path: ['onError', 'next'],
        message: `must be a transfer-to-agent or hangup step, not ${target.type}`,
      });
  }
  out.push(
    ...promptIssues(flow, [], {
      ...(flow.onError ? { onError: flow.onError } : {}),
      ...(flow.onRestart ? { onRestart: flow.onRestart } : {}),
    }),
  );
  return out;
}

/**
 * Cross-field checks the schemas cannot express; each issue has the path it is about.
 * `flow.steps` holds every declared step (valid or not, so one bad step is not also reported
 * as missing wherever it is referenced); `parsed` the ones that passed their schema.
 */
export function flowIssues(flow: FlowForCheck, parsed: Readonly<Record<string, unknown>>): FlowIssue[] {
  const out = [...languageIssues(flow), ...flowLevelIssues(flow)];
  for (const [id, step] of Object.entries(flow.steps))
    out.push(...stepIssues(flow, id, step as unknown as Step, parsed[id] as Step | undefined));
  if (out.length) return out; // reachability and loops only make sense once references resolve
  const seen = reachable(flow);
  for (const id of Object.keys(flow.steps))
    if (!seen.has(id)) out.push({ path: ['steps', id], message: `step "${id}" is unreachable from start` });
  for (const loop of loopsWithoutInput(flow)) {
    out.push({ path: ['steps', loop[0]!], message: `loop with no input step: ${loop.join(' → ')}` });
  }
  return out;
}
