import { autocompletion, closeBrackets, type CompletionContext, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter, lintKeymap } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { yamlLanguage } from '@codemirror/lang-yaml';
import { yamlSchema } from 'codemirror-json-schema/yaml';
import schema from '../../../voice-flows/flow.schema.json';

/** One problem as the API reports it (bootline's own checks, the same as `bootline flows check`). */
export interface Problem {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

/** Every step type the schema knows, with its description when it has one. */
const STEP_TYPES = (
  schema as unknown as {
    properties: { steps: { additionalProperties: { oneOf: Array<{ properties: { type: { const: string } } }> } } };
  }
).properties.steps.additionalProperties.oneOf.map((s) => s.properties.type.const);

/**
 * `type:` in a step offers every step type, also before a letter is typed (the schema
 * completion only narrows a value already begun).
 */
function stepTypes(ctx: CompletionContext) {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const m = /^\s+type:\s*([\w-]*)$/.exec(line.text.slice(0, ctx.pos - line.from));
  if (!m) return null;
  return {
    from: ctx.pos - (m[1] ?? '').length,
    options: STEP_TYPES.map((t) => ({ label: t, type: 'enum', detail: 'step type' })),
    validFor: /^[\w-]*$/,
  };
}

export interface FlowEditor {
  readonly view: EditorView;
  text(): string;
  gotoLine(line: number): void;
  cursorLine(): number;
}

/**
 * The flow editor: CodeMirror 6 with YAML, line numbers, and the flow's JSON Schema (the
 * one `bootline flows schema` prints) for completion, hover help and inline errors; bootline's
 * own checks (references, prompts, loops…) come from the server and show inline too. Tab is
 * left to move focus (the page must work from the keyboard); Ctrl-Space completes.
 */
export function createEditor(
  parent: HTMLElement,
  doc: string,
  o: {
    label: string;
    describedBy: string;
    validate: (text: string) => Promise<readonly Problem[]>;
    onChange: (text: string) => void;
    onCursor: (line: number) => void;
  },
): FlowEditor {
  const server = linter(
    async (view): Promise<Diagnostic[]> => {
      const problems = await o.validate(view.state.doc.toString());
      const lines = view.state.doc.lines;
      return problems.map((p) => {
        const line = view.state.doc.line(Math.min(Math.max(1, p.line), lines));
        return {
          from: line.from + (line.text.length - line.text.trimStart().length),
          to: line.to,
          severity: 'error',
          source: 'bootline',
          message: `${p.path ? `${p.path}: ` : ''}${p.message}`,
        };
      });
    },
    { delay: 400 },
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ activateOnTyping: true }),
        lintGutter(),
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
        yamlSchema(schema as unknown as Parameters<typeof yamlSchema>[0]),
        yamlLanguage.data.of({ autocomplete: stepTypes }),
        server,
        EditorView.contentAttributes.of({ 'aria-label': o.label, 'aria-describedby': o.describedBy }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
          if (u.selectionSet || u.docChanged) o.onCursor(u.state.doc.lineAt(u.state.selection.main.head).number);
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    cursorLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
    gotoLine(n) {
      const line = view.state.doc.line(Math.min(Math.max(1, n), view.state.doc.lines));
      const at = line.from + (line.text.length - line.text.trimStart().length);
      view.dispatch({
        selection: { anchor: at, head: line.to },
        effects: EditorView.scrollIntoView(at, { y: 'center' }),
      });
      view.focus();
    },
  };
}
