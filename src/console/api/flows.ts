import { Router, json, type ErrorRequestHandler, type Request } from 'express';
import { BootlineError, isBootlineError } from '../../errors.js';
import { flowMermaid, flowSvg } from '../flows/diagram.js';
import type { Author, FlowAdmin } from '../flows/service.js';
import { checkSize, MAX_FLOW_CHARS, unifiedDiff, validateFlowText } from '../flows/text.js';
import { requireOperator, type SessionCookies } from '../session.js';
import { withDeliveryApi } from '../../deliveries/http/openapi.js';
import { FLOWS_OPENAPI } from './flows-openapi.js';

const ID = /^[a-z][a-z0-9-]{0,40}$/;
const REF = /^(published|draft|\d{1,9}|[0-9a-f]{16})$/;

function flowId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !ID.test(id))
    throw new BootlineError('BAD_REQUEST', 'flow ids are lower-case letters, digits and dashes');
  return id;
}

function seqOf(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new BootlineError('BAD_REQUEST', '"seq" (the version you loaded, from GET) is required');
  return n;
}

function ref(v: unknown, fallback: string): string {
  const s = v === undefined ? fallback : v;
  if (typeof s !== 'string' || !REF.test(s))
    throw new BootlineError(
      'BAD_REQUEST',
      'a version is "published", "draft", a revision number or a 16-hex revision id',
    );
  return s;
}

function optionalRevision(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^[0-9a-f]{16}$/.test(v))
    throw new BootlineError('BAD_REQUEST', '"baseRevision" is a 16-hex revision id');
  return v;
}

function message(v: unknown, required: boolean): string {
  if ((v === undefined || v === '') && !required) return '';
  if (typeof v !== 'string' || !v.trim() || v.length > 500)
    throw new BootlineError('BAD_REQUEST', '"message" (1-500 characters) says why you publish');
  return v.trim();
}

const author = (req: Request): Author => ({ name: req.session?.name ?? 'operator', role: req.apiRole ?? 'operator' });
const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/**
 * The flow admin API (operators: bearer token or console session). Every answer is JSON;
 * errors carry their code plus, where useful, `problems` (file:line:path), `diff` and the
 * current `seq`. OpenAPI 3.1 description: GET /api/openapi.json.
 */
export function flowRoutes(deps: { admin: FlowAdmin; cookies: SessionCookies }): Router {
  const { admin } = deps;
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    // One document for the app's API: the delivery API and the DM session signal join it.
    res.json(withDeliveryApi(FLOWS_OPENAPI));
  });
  r.use('/flows', requireOperator(deps.cookies), json({ limit: Math.ceil(MAX_FLOW_CHARS * 1.5) }));

  r.get('/flows', (_req, res) => {
    res.json({ flows: admin.list() });
  });
  r.get('/flows/:id', (req, res) => {
    res.json(admin.get(flowId(req)));
  });
  r.post('/flows/:id/validate', (req, res) => {
    const v = validateFlowText(flowId(req), checkSize(body(req).text));
    res.json({ valid: v.valid, problems: v.problems });
  });
  r.put('/flows/:id/draft', (req, res) => {
    const id = flowId(req);
    const text = checkSize(body(req).text);
    try {
      res.json(admin.saveDraft(id, text, seqOf(body(req).seq), author(req)));
    } catch (err) {
      if (!isBootlineError(err, 'FLOW_CONFLICT')) throw err;
      // The second writer sees exactly what they would overwrite.
      const current = admin.ids().includes(id) ? admin.textOf(id, 'draft') : { text: '', label: 'draft' };
      throw new BootlineError('FLOW_CONFLICT', err.message, {
        public: {
          ...(err.details.public as object),
          diff: unifiedDiff(`${id}.yaml (${current.label} now)`, current.text, `${id}.yaml (yours)`, text),
        },
      });
    }
  });
  r.delete('/flows/:id/draft', (req, res) => {
    res.json(admin.discardDraft(flowId(req), seqOf(body(req).seq ?? req.query.seq)));
  });
  r.post('/flows/:id/publish', (req, res) => {
    const b = body(req);
    const baseRevision = optionalRevision(b.baseRevision);
    res.json(
      admin.publish(flowId(req), {
        seq: seqOf(b.seq),
        ...(baseRevision ? { baseRevision } : {}),
        message: message(b.message, true),
        author: author(req),
      }),
    );
  });
  r.post('/flows/:id/rollback', (req, res) => {
    const b = body(req);
    const baseRevision = optionalRevision(b.baseRevision);
    res.json(
      admin.rollback(flowId(req), {
        to: ref(b.to, ''),
        ...(baseRevision ? { baseRevision } : {}),
        message: message(b.message, false),
        author: author(req),
      }),
    );
  });
  r.get('/flows/:id/revisions', (req, res) => {
    res.json({ revisions: admin.revisions(flowId(req)) });
  });
  r.get('/flows/:id/revisions/:rev', (req, res) => {
    const id = flowId(req);
    const rec = admin.findRevision(id, ref(req.params.rev, ''));
    const text = admin.textOf(id, String(rec.n)).text;
    const parent = rec.parent ? admin.textOf(id, rec.parent).text : '';
    res.json({
      ...rec,
      text,
      diff: unifiedDiff(`${id}.yaml (before)`, parent, `${id}.yaml (revision ${rec.n})`, text),
    });
  });
  r.get('/flows/:id/diff', (req, res) => {
    const id = flowId(req);
    const [from, to] = [ref(req.query.from, 'published'), ref(req.query.to, 'draft')];
    res.json({ from, to, diff: admin.diff(id, from, to) });
  });
  r.get('/flows/:id/graph', (req, res) => {
    const id = flowId(req);
    const v = validateFlowText(id, admin.textOf(id, ref(req.query.version, 'published')).text);
    if (!v.valid)
      throw new BootlineError('FLOW_DRAFT_INVALID', 'that version is invalid; fix it to see its diagram', {
        public: { problems: v.problems },
      });
    if (req.query.format === 'mermaid') res.type('text/plain').send(flowMermaid(v.flow));
    // Opened on its own the SVG is a document: it may not run or load anything.
    else
      res
        .type('image/svg+xml')
        .set({ 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' })
        .send(flowSvg(v.flow));
  });

  r.use(publicErrors);
  return r;
}

/** Error answers with the details meant for the operator (`details.public`: problems, diff, seq). */
export const publicErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if ((err as { type?: string })?.type === 'entity.too.large')
    err = new BootlineError('FLOW_TOO_LARGE', `request body too large; a flow is at most ${MAX_FLOW_CHARS} characters`);
  if (!isBootlineError(err)) {
    next(err);
    return;
  }
  res
    .status(err.http)
    .json({ error: { code: err.code, message: err.message, ...((err.details.public as object | undefined) ?? {}) } });
};
