import { Router } from 'express';
import { callSidOf, callTrace, traceFilter } from '../calls.js';
import { flowPicture } from '../flows/picture.js';
import type { FlowAdmin } from '../flows/service.js';
import { requireOperator, type SessionCookies } from '../session.js';
import type { TraceStore } from '../../voice/trace/store.js';
import type { FlowRegistry } from '../../voice/registry.js';
import { BootlineError } from '../../errors.js';
import { publicErrors } from './flows.js';

/**
 * Execution traces, read-only: GET /calls?flow=&revision=&outcome=&source=&since=&until=&limit=
 * lists recent calls (newest first), GET /calls/:callSid is one call's timeline and path,
 * GET /calls/:callSid/graph the diagram of the exact revision it ran. Operators and read-only
 * tokens; numbers are masked in every trace, whoever reads it.
 */
export function callRoutes(deps: {
  traces: TraceStore;
  admin: FlowAdmin;
  registry: FlowRegistry;
  cookies: SessionCookies;
}): Router {
  const r = Router();
  r.use('/calls', requireOperator(deps.cookies, { readOnly: true }));
  r.get('/calls', async (req, res) => {
    res.json({ calls: await deps.traces.list(traceFilter(req.query as Record<string, unknown>)) });
  });
  r.get('/calls/:callSid', async (req, res) => {
    res.json(await callTrace(deps.traces, callSidOf(req.params.callSid)));
  });
  r.get('/calls/:callSid/graph', async (req, res) => {
    const meta = await deps.traces.meta(callSidOf(req.params.callSid));
    if (!meta) throw new BootlineError('NOT_FOUND', 'no trace for that call');
    const text = await revisionText(deps, meta.flow, meta.revision);
    const picture = await flowPicture(meta.flow, text, 'svg');
    res
      .type(picture.type)
      .set({ 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' })
      .send(picture.body);
  });
  r.use(publicErrors);
  return r;
}

/** The text of the revision a call ran: from the flow's history, else the registry (drafts, archived revisions). */
async function revisionText(
  deps: { admin: FlowAdmin; registry: FlowRegistry },
  flow: string,
  revision: string,
): Promise<string> {
  const fromHistory = deps.admin.store.text(flow, revision);
  if (fromHistory) return fromHistory;
  const kept = await deps.registry.revision(flow, revision).catch(() => null);
  if (kept) return kept.source;
  throw new BootlineError('NOT_FOUND', `revision ${revision} of flow ${flow} is no longer kept`);
}
