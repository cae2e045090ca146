import type { Queue } from 'bullmq';
import { json, Router, type Request } from 'express';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { batchRows, batchView } from '../doors/batch/routes.js';
import type { BatchMeta, BatchStore } from '../doors/batch/store.js';
import type { BootstrapIntake } from '../doors/intake.js';
import { BootlineError } from '../errors.js';
import type { EventJobData } from '../queues/catalogue.js';
import { batchesPage, batchPage } from './batches-pages.js';
import { bootstrapPage } from './bootstrap-page.js';
import { deadLettersPage, eventDeadLetters, retryDeadLetter } from './dead-letters.js';
import type { Safe } from './html.js';

/** What the delivery pages read; each is optional (a process without it shows no such page). */
export interface OpsDeps {
  readonly store?: BootstrapStore;
  /** The outbound events queue (its failed set: the dead letters). */
  readonly eventsQueue?: Queue<EventJobData>;
  /** The bulk API's store and the intake that names a row's bootstrap. */
  readonly batches?: { readonly store: BatchStore; readonly intake: Pick<BootstrapIntake, 'idFor'> };
}

type Page = (req: Request, title: string, name: string, body: Safe) => string;

const BOOTSTRAP_ID = /^bs-[A-Za-z0-9_-]{1,80}$/;
const BATCH_ID = /^bt[0-9a-f]{16}$/;
const PAGE_ROWS = 50;

/**
 * The console's delivery pages, behind the console's operator login: a bootstrap with its
 * timeline, the outbound events' dead letters (with "send again", a JSON POST that the
 * session check only lets through from the console's own pages), the batches and one batch's
 * rows that went wrong. Numbers as the status API shows them: in full for operators only.
 */
export function opsRoutes(deps: OpsDeps, page: Page): Router {
  const r = Router();
  const { store, eventsQueue, batches } = deps;

  r.get('/console/bootstraps/:id', async (req, res, next) => {
    const id = req.params.id;
    const [rec, timeline] =
      store && BOOTSTRAP_ID.test(id) ? await Promise.all([store.get(id), store.timeline(id)]) : [null, []];
    if (!rec) {
      next();
      return;
    }
    const body = bootstrapPage(rec, timeline, req.apiRole === 'operator');
    res.type('html').send(page(req, `Bootstrap ${id}`, 'bootstrap', body));
  });

  if (store && eventsQueue) {
    const dl = { queue: eventsQueue, store };
    r.get('/console/dead-letters', async (req, res) => {
      const list = await eventDeadLetters(dl).catch(() => null);
      const retried = typeof req.query.retried === 'string' ? req.query.retried.slice(0, 240) : undefined;
      res.type('html').send(page(req, 'Event dead letters', 'dead-letters', deadLettersPage(list, { retried })));
    });
    // JSON from the page's script, as the console's other writes: a form post would carry `Origin: null`
    // (the pages' Referrer-Policy is no-referrer), which the session check rightly cannot tell from another site.
    r.post('/console/dead-letters/retry', json({ limit: '2kb' }), async (req, res) => {
      const job = await retryDeadLetter(dl, (req.body as Record<string, unknown> | undefined)?.job);
      req.log?.info({ job, user: req.session?.name }, 'event dead letter sent again');
      res.status(202).json({ job, state: 'waiting' });
    });
  }

  if (batches) {
    const meta = async (id: string) => {
      const m = BATCH_ID.test(id) ? await batches.store.meta(id) : null;
      if (!m) throw new BootlineError('BATCH_NOT_FOUND', 'no batch with that id');
      return m;
    };
    r.get('/console/batches', async (req, res) => {
      const list = await latestBatches(batches.store).catch(() => null);
      res.type('html').send(page(req, 'Batches', 'batches', batchesPage(list)));
    });
    r.get('/console/batches/:id', async (req, res) => {
      const m = await meta(req.params.id);
      const state = typeof req.query.state === 'string' ? req.query.state : 'failed';
      const rows = await batchRows(batches, m, { state, after: req.query.after, limit: String(PAGE_ROWS) });
      const after = Math.max(0, Number(req.query.after ?? 0) || 0);
      const body = batchPage(batchView(m), { rows: rows.rows, after, next: rows.next }, rows.state);
      res.type('html').send(page(req, `Batch ${m.id}`, 'batch', body));
    });
    // The pages' progress, polled by the console's script (the session cookie; /api/batches takes tokens).
    r.get('/console/batches/:id/progress', async (req, res) => {
      res.json(batchView(await meta(req.params.id)));
    });
  }
  return r;
}

async function latestBatches(store: BatchStore) {
  const metas = await Promise.all((await store.list(50)).map((id) => store.meta(id)));
  return metas.filter((m): m is BatchMeta => m !== null).map(batchView);
}
