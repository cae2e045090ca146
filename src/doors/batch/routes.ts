import { Router, type Request } from 'express';
import type { Queue } from 'bullmq';
import { BootlineError } from '../../errors.js';
import { requireRole, type ApiToken } from '../../platform/http/auth.js';
import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { DestinationPolicy } from '../../policy/destination.js';
import { PROFILES, SEC_METHODS, type BootstrapIntake, type Profile, type SecMethod } from '../intake.js';
import { actorOf } from '../pos/routes.js';
import { enqueueBatch, type BatchJobData } from './runner.js';
import { ROW_STATES, type RowState } from './scripts.js';
import type { BatchMeta, BatchStore } from './store.js';
import { formatOf, readBatch } from './upload.js';

export interface BatchRoutesDeps {
  readonly tokens: readonly ApiToken[];
  readonly store: BatchStore;
  readonly queue: Queue<BatchJobData>;
  readonly intake: BootstrapIntake;
  readonly destination: DestinationPolicy;
  readonly logger: Logger;
}

const ID = /^bt[0-9a-f]{16}$/;
const READERS = ['operator', 'agent', 'read-only', 'pos'] as const;

/** What GET /api/batches/{id} shows: counts per row state and how far it has got. */
export function batchView(m: BatchMeta) {
  const asked = m.valid - m.counts.pending;
  const final = m.counts.delivered + m.counts.failed + m.counts.expired + m.counts.refused;
  const frac = (n: number) => (m.valid ? Math.round((n / m.valid) * 10_000) / 10_000 : 1);
  return {
    id: m.id,
    phase: m.phase,
    owner: m.owner,
    rows: { total: m.total, valid: m.valid, invalid: m.invalid },
    counts: m.counts,
    // asked for → past the SMSC (submitted or final) → final: a progress bar's three layers.
    progress: { asked: frac(asked), sent: frac(asked - m.counts.queued), final: frac(final) },
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    fedAt: m.fedAt ?? null,
    doneAt: m.doneAt ?? null,
  };
}

/**
 * POST /api/batches                 (pos, operator) a file of rows → 202 { batchId, … } (422 onInvalid=reject)
 * GET  /api/batches                 the batches, newest first (pos: its own)
 * GET  /api/batches/{id}            counts per state and progress
 * GET  /api/batches/{id}/rows       ?state=failed&after=ROW&limit=N: rows in one state with their errors
 */
export function batchRoutes(deps: BatchRoutesDeps): Router {
  const r = Router();
  const read = requireRole(deps.tokens, [...READERS]);
  const own = async (req: Request) => {
    const id = req.params.id;
    if (typeof id !== 'string' || !ID.test(id)) throw new BootlineError('BAD_REQUEST', 'malformed batch id');
    const m = await deps.store.meta(id);
    if (!m || (req.apiRole === 'pos' && m.owner !== actorOf(req)))
      throw new BootlineError('BATCH_NOT_FOUND', 'no batch with that id');
    return m;
  };

  r.post('/api/batches', requireRole(deps.tokens, ['pos', 'operator']), async (req, res) => {
    const format = formatOf(req.headers['content-type']);
    const defaults = batchDefaults(req.query);
    const reject = req.query.onInvalid === 'reject';
    const id = deps.store.newId();
    await deps.store.create(id, actorOf(req));
    let summary: Awaited<ReturnType<typeof readBatch>>;
    try {
      summary = await readBatch(deps, { id, body: req, format, defaults });
    } catch (err) {
      await deps.store.remove(id);
      throw err;
    }
    const phase = reject && summary.invalid > 0 ? 'rejected' : summary.valid === 0 ? 'done' : 'running';
    await deps.store.finishUpload(id, { total: summary.rows, valid: summary.valid, invalid: summary.invalid, phase });
    if (phase === 'running') await enqueueBatch(deps.queue, id);
    deps.logger.info(
      { door: 'batch', batchId: id, by: actorOf(req), ...summary, errors: undefined, phase },
      'batch received',
    );
    const body = { batchId: id, phase, ...summary, status: `/api/batches/${id}` };
    if (phase === 'rejected') {
      res.status(422).json({
        error: {
          code: 'BATCH_REJECTED',
          message: `${summary.invalid} invalid rows and onInvalid=reject: nothing was pushed`,
        },
        ...body,
      });
      return;
    }
    res.status(202).location(`/api/batches/${id}`).json(body);
  });

  r.get('/api/batches', read, async (req, res) => {
    const metas = (await Promise.all((await deps.store.list(200)).map((id) => deps.store.meta(id)))).filter(
      (m): m is BatchMeta => m !== null && (req.apiRole !== 'pos' || m.owner === actorOf(req)),
    );
    res.json({ batches: metas.slice(0, 50).map(batchView) });
  });

  r.get('/api/batches/:id', read, async (req, res) => {
    res.json(batchView(await own(req)));
  });

  r.get('/api/batches/:id/rows', read, async (req, res) => {
    res.json(await batchRows(deps, await own(req), req.query));
  });
  return r;
}

/** A page of a batch's rows in one state (default failed) with their errors: `?state=&after=ROW&limit=N`. */
export async function batchRows(
  deps: { readonly store: BatchStore; readonly intake: Pick<BootstrapIntake, 'idFor'> },
  m: BatchMeta,
  q: Request['query'],
) {
  const state = String(q.state ?? 'failed') as RowState;
  if (!ROW_STATES.includes(state))
    throw new BootlineError('BAD_REQUEST', `state must be one of ${ROW_STATES.join(', ')}`);
  const after = Math.max(0, Number(q.after ?? 0) || 0);
  const limit = Math.min(1_000, Math.max(1, Number(q.limit ?? 100) || 100));
  const page = await deps.store.page(m.id, state, after, limit);
  const data = await deps.store.rows(
    m.id,
    page.map((p) => p.row),
  );
  const rows = page.map((p) => ({
    row: p.row,
    state,
    to: data.get(p.row) ? maskPhone(data.get(p.row)!.msisdn) : null,
    bootstrapId: state === 'invalid' ? null : deps.intake.idFor(`${m.id}-${p.row}`),
    error: p.error ?? null,
  }));
  return { batchId: m.id, state, rows, next: rows.length === limit ? rows.at(-1)!.row : null };
}

function batchDefaults(q: Request['query']): { profile?: Profile; sec?: SecMethod } {
  const profile = q.profile === undefined ? undefined : String(q.profile);
  const sec = q.sec === undefined ? undefined : String(q.sec);
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile))
    throw new BootlineError('BAD_REQUEST', `profile must be one of ${PROFILES.join(', ')}`);
  if (sec !== undefined && !(SEC_METHODS as readonly string[]).includes(sec))
    throw new BootlineError('BAD_REQUEST', `sec must be one of ${SEC_METHODS.join(', ')}`);
  return { ...(profile ? { profile: profile as Profile } : {}), ...(sec ? { sec: sec as SecMethod } : {}) };
}
