import { didYouMean } from '../platform/suggest.js';

/** A schema issue as zod reports it (the fields bootline reads). */
export type Issue = {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
  issues?: Issue[];
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
};

/** The value at `path` of the parsed document (undefined when absent). */
export function valueAt(js: unknown, path: readonly PropertyKey[]): unknown {
  let v = js;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const a = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** What a YAML value is, in the words of someone who wrote it. */
function what(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map of keys';
  if (typeof v === 'string') return `the text "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return `${a(typeof v)} (${String(v)})`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'map of keys',
  record: 'map of keys',
  array: 'list',
  string: 'text',
};

/**
 * An issue in the words of the flow's author rather than the validator's: "missing required
 * key" and "should be a number, not the text "ten"" instead of "Invalid input: expected number,
 * received undefined". `value` is what the document holds at the issue's path; `known` the
 * keys the object at that path accepts (for "did you mean" on an unknown key).
 */
export function issueText(i: Issue, value: unknown): string {
  const key = String(i.path.at(-1) ?? '');
  const expected = i.expected === undefined ? undefined : (TYPE_WORDS[i.expected] ?? i.expected);
  switch (i.code) {
    case 'invalid_type':
      if (value === undefined) return `missing required key "${key}" (${a(expected ?? 'value')})`;
      return `should be ${a(expected ?? 'different value')}, not ${what(value)}`;
    case 'invalid_value': {
      const vals = (i.values ?? []).map((x) => JSON.stringify(x));
      const near = typeof value === 'string' ? didYouMean(value, (i.values ?? []).map(String)) : '';
      return vals.length === 1
        ? `should be ${vals[0]}, not ${what(value)}`
        : `should be one of ${vals.join(', ')}, not ${what(value)}${near}`;
    }
    case 'too_small':
      if (i.origin === 'string' && Number(i.minimum) === 1) return 'must not be empty';
      if (i.origin === 'array') return `needs at least ${i.minimum} item(s)`;
      if (i.origin === 'string') return `must be at least ${i.minimum} characters`;
      return `must be at least ${i.minimum}, not ${what(value)}`;
    case 'too_big':
      if (i.origin === 'array') return `holds at most ${i.maximum} item(s)`;
      if (i.origin === 'string') return `must be at most ${i.maximum} characters`;
      return `must be at most ${i.maximum}, not ${what(value)}`;
    default:
      return i.message;
  }
}
