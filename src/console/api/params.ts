import type { Request } from 'express';
import { BootlineError } from '../../errors.js';
import type { Author } from '../flows/service.js';

/** Request fields of the flow admin API, each checked with a reason the caller can act on. */
const ID = /^[a-z][a-z0-9-]{0,40}$/;
const REF = /^(published|draft|\d{1,9}|[0-9a-f]{16})$/;

export function flowId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !ID.test(id))
    throw new BootlineError('BAD_REQUEST', 'flow ids are lower-case letters, digits and dashes');
  return id;
}

export function seqOf(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new BootlineError('BAD_REQUEST', '"seq" (the version you loaded, from GET) is required');
  return n;
}

export function ref(v: unknown, fallback: string): string {
  const s = v === undefined ? fallback : v;
  if (typeof s !== 'string' || !REF.test(s))
    throw new BootlineError(
      'BAD_REQUEST',
      'a version is "published", "draft", a revision number or a 16-hex revision id',
    );
  return s;
}

export function optionalRevision(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^[0-9a-f]{16}$/.test(v))
    throw new BootlineError('BAD_REQUEST', '"baseRevision" is a 16-hex revision id');
  return v;
}

export function message(v: unknown, required: boolean): string {
  if ((v === undefined || v === '') && !required) return '';
  if (typeof v !== 'string' || !v.trim() || v.length > 500)
    throw new BootlineError('BAD_REQUEST', '"message" (1-500 characters) says why you publish');
  return v.trim();
}

export const author = (req: Request): Author => ({
  name: req.session?.name ?? 'operator',
  role: req.apiRole ?? 'operator',
});
export const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
