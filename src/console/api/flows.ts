import { Router, json, type ErrorRequestHandler } from 'express';
import { BootlineError, isBootlineError } from '../../errors.js';
import type { FlowAdmin } from '../flows/service.js';
import { author, body, flowId, message, optionalRevision, ref, seqOf } from './params.js';
import { checkSize, MAX_FLOW_CHARS, unifiedDiff, validateFlowText } from '../flows/text.js';
import { requireOperator, type SessionCookies } from '../session.js';
import { graphRoutes } from './flows-graph.js';
import { testRoutes, testsGate } from './flows-tests.js';
import type { FlowTests } from '../flowtests/service.js';

/**
 * The flow admin API (operators: bearer token or console session). Every answer is JSON;
 * errors carry their code plus, where useful, `problems` (file:line:path), `diff` and the
 * current `seq`. Described in the app's one OpenAPI document (GET /api/openapi.json).
 */
export function flowRoutes(deps: { admin: FlowAdmin; cookies: SessionCookies; tests?: FlowTests }): Router {
  const { admin } = deps;
  const r = Router();
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
  r.post('/flows/:id/publish', async (req, res) => {
    const b = body(req);
    const id = flowId(req);
    const baseRevision = optionalRevision(b.baseRevision);
    const msg = message(b.message, true);
    const gate = await testsGate(admin, deps.tests, id, b.testsOverride);
    res.json(
      admin.publish(id, {
        seq: seqOf(b.seq),
        ...(baseRevision ? { baseRevision } : {}),
        message: msg,
        author: author(req),
        ...gate,
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
  graphRoutes(r, admin);
  if (deps.tests) testRoutes(r, admin, deps.tests);

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
