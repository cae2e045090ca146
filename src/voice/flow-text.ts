import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BootlineError } from '../errors.js';

/**
 * What makes a flow text readable at all, before any flow rule: its size, its characters,
 * how deep it nests and how far its aliases expand. An operator (or a file dropped into the
 * flows folder) controls the text; none of it may cost more than a parse of 200,000
 * characters, and every refusal is a problem with a line, like any other flow mistake.
 */

/** Like Amazon Connect's 256,000-character limit: a flow larger than this is a paste accident. */
export const MAX_FLOW_CHARS = 200_000;
/** Nesting a flow needs is under ten levels; past this the text is refused before the YAML parser recurses into it. */
export const MAX_NESTING = 64;
/** Values the document may hold once every alias is expanded (the default flow holds about 600). */
export const MAX_EXPANDED_VALUES = 20_000;
/** Alias uses; the `yaml` package's own guard against entity expansion, kept at its default. */
export const MAX_ALIAS_COUNT = 100;

export interface TextProblem {
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

/**
 * Reads a flow file as UTF-8 text, refusing what is not: a file over the size limit (not read
 * at all), UTF-16 or UTF-32 (byte order marks), bytes that are not UTF-8. A UTF-8 byte order
 * mark is allowed (YAML 1.2 §5.2) and kept.
 */
export function readFlowText(file: string): { text: string } | { problem: TextProblem } {
  const size = statSync(file).size;
  // Four bytes per character at most in UTF-8: anything larger cannot be within the limit.
  if (size > MAX_FLOW_CHARS * 4)
    return { problem: { line: 1, message: `file is ${size} bytes; a flow is at most ${MAX_FLOW_CHARS} characters` } };
  const bytes = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, bytes, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  if (/^(\xff\xfe|\xfe\xff)/.test(bytes.toString('latin1', 0, 2)))
    return { problem: { line: 1, message: 'file is UTF-16 or UTF-32; save flows as UTF-8' } };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    return { problem: { line, message: `byte ${bad} is not UTF-8; save flows as UTF-8` } };
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The longest valid prefix (decoding stops at a character boundary at most 3 bytes short).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Problems of the text as characters, before the YAML parser sees it: its length, any
 * character YAML does not allow (YAML 1.2 §5.1 "Character Set": no C0 controls but tab, LF
 * and CR, no DEL, no surrogates; NUL is what a UTF-16 file read as UTF-8 looks like) or
 * U+FFFD (what invalid UTF-8 became on the way), and nesting deeper than MAX_NESTING.
 */
export function textProblems(text: string): TextProblem[] {
  if (text.length > MAX_FLOW_CHARS)
    return [{ line: 1, message: `text is ${text.length} characters; a flow is at most ${MAX_FLOW_CHARS}` }];
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff\ufffd\ufffe\uffff]/u.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    const hint =
      code === '0000' ? ' (a UTF-16 file? save flows as UTF-8)' : code === 'FFFD' ? ' (text was not UTF-8)' : '';
    return [{ line: lineAt(text, bad.index), message: `character U+${code} is not allowed in YAML${hint}` }];
  }
  // Every value needs a line or a comma of its own: a text with far more of them than values
  // allowed is refused before the parser spends a second or two on it.
  let separators = 0;
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) separators++;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) separators++;
  if (separators > MAX_EXPANDED_VALUES * 2)
    return [
      { line: 1, message: `has ${separators} lines and commas; a flow holds at most ${MAX_EXPANDED_VALUES} values` },
    ];
  const deep = deepestLine(text);
  return deep ? [{ line: deep, message: `nested more than ${MAX_NESTING} levels deep` }] : [];
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/**
 * The first line nesting deeper than MAX_NESTING, or 0. Flow collections count their open
 * brackets (outside quoted scalars and comments); block collections their indentation and
 * compact "- " / "? " entries (each level costs at least one column).
 */
function deepestLine(text: string): number {
  let depth = 0;
  let quote = '';
  let line = 1;
  let lineStart = true;
  let indent = 0;
  let prev = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = true;
      indent = 0;
      prev = c;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || ((c === '-' || c === '?') && text[i + 1] === ' ')) {
        if (++indent > MAX_NESTING * 2) return line;
        prev = c;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '#' && /\s/.test(prev)) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if ((c === '"' || c === "'") && /[\s:,[{?-]/.test(prev)) quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return line;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    prev = c;
  }
  return 0;
}

/**
 * A text that is not YAML bootline can read: FLOW_INVALID like any flow mistake (every reader
 * of flows already answers it), marked `unreadable` so a draft of it is refused, not stored.
 */
export function flowUnreadable(file: string, problems: readonly TextProblem[]): BootlineError {
  const listed = problems.map((p) => ({
    file,
    line: p.line,
    ...(p.column ? { column: p.column } : {}),
    path: '',
    message: p.message,
  }));
  const lines = listed.map((p) => `${file}:${p.line} ${p.message}`).join('\n  ');
  return new BootlineError('FLOW_INVALID', `flow ${file} is not YAML bootline can read:\n  ${lines}`, {
    file,
    problems: listed,
    unreadable: true,
  });
}

/** Whether a FLOW_INVALID came from a text that is not readable YAML (as opposed to a flow rule). */
export function isUnreadable(err: BootlineError): boolean {
  return err.details.unreadable === true;
}
