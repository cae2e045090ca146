import { createTwoFilesPatch, structuredPatch } from 'diff';
import { isBootlineError, BootlineError } from '../../errors.js';
import type { Flow } from '../../voice/flow.js';
import { parseFlow, type FlowProblem } from '../../voice/load.js';
import { isUnreadable, MAX_FLOW_CHARS } from '../../voice/flow-text.js';

export { MAX_FLOW_CHARS };

/** `readable`: false when the text is not YAML bootline can read at all (never stored, not even as a draft). */
export type Validation =
  | { readonly valid: true; readonly flow: Flow; readonly problems: readonly []; readonly readable: true }
  | { readonly valid: false; readonly problems: readonly FlowProblem[]; readonly readable: boolean };

export function checkSize(text: unknown): string {
  if (typeof text !== 'string') throw new BootlineError('BAD_REQUEST', '"text" must be the flow YAML as a string');
  if (text.length > MAX_FLOW_CHARS)
    throw new BootlineError('FLOW_TOO_LARGE', `flow text is ${text.length} characters; at most ${MAX_FLOW_CHARS}`);
  return text;
}

/**
 * Every problem of a flow text, named `<id>.yaml:line path: message` like the CLI, plus one
 * rule the file alone cannot know: the text must keep the id of the flow it is saved as.
 */
export function validateFlowText(id: string, text: string): Validation {
  const file = `${id}.yaml`;
  try {
    const flow = parseFlow(file, text);
    if (flow.id !== id) {
      const line = text.split('\n').findIndex((l) => /^id\s*:/.test(l)) + 1 || 1;
      return {
        valid: false,
        readable: true,
        problems: [
          {
            file,
            line,
            path: 'id',
            message: `must stay "${id}" (the flow being edited); to make a new flow, create it under its own id`,
          },
        ],
      };
    }
    return { valid: true, flow, problems: [], readable: true };
  } catch (err) {
    if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
    return { valid: false, problems: err.details.problems as FlowProblem[], readable: !isUnreadable(err) };
  }
}

/** Refuses a text that is not readable YAML (422 FLOW_UNREADABLE, with its problems): it is not stored. */
export function expectReadable(id: string, text: string): void {
  const v = validateFlowText(id, text);
  if (!v.readable)
    throw new BootlineError(
      'FLOW_UNREADABLE',
      `flow "${id}": the text is not YAML bootline can read; nothing was saved`,
      {
        public: { problems: v.problems },
      },
    );
}

/** Unified diff (`--- a` / `+++ b`, 3 lines of context), as git shows it. */
export function unifiedDiff(aName: string, a: string, bName: string, b: string): string {
  return createTwoFilesPatch(aName, bName, a, b, undefined, undefined, { context: 3 });
}

export function diffStats(a: string, b: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of structuredPatch('a', 'b', a, b, undefined, undefined, { context: 0 }).hunks) {
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}
