import { readFileSync } from 'node:fs';
import { formatProblem, type FlowProblem } from '../voice/load.js';

/**
 * The lines around `line` (1-based) with a gutter, the line itself marked ">", and a caret
 * under `column` — what a compiler shows, so a YAML syntax error is seen where it is.
 */
export function codeFrame(text: string, line: number, column: number, context = 2): string {
  const lines = text.split(/\r?\n/);
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  }
  const lead = (lines[line - 1] ?? '').slice(0, column - 1).replace(/[^\t]/g, ' ');
  out.push(`  ${' '.repeat(width)} | ${lead}^`);
  return out.join('\n');
}

/** A flow problem as `flows check` prints it: "file:line:column path: message", then its frame if placed. */
export function problemText(
  p: FlowProblem,
  readText: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): string {
  if (!p.column) return formatProblem(p);
  let text: string;
  try {
    text = readText(p.file);
  } catch {
    return formatProblem(p);
  }
  const head = `${p.file}:${p.line}:${p.column} ${p.path ? p.path + ': ' : ''}${p.message}`;
  return `${head}\n${codeFrame(text, p.line, p.column)}\n`;
}
