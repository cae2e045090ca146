import { Router } from 'express';
import { DOORS_OPENAPI } from './openapi-doc.js';

/** GET /api/doors/openapi.json: the POS, bulk and network-event API (no secrets, no auth). */
export function docsRoutes(): Router {
  const r = Router();
  r.get('/api/doors/openapi.json', (_req, res) => {
    res.json(DOORS_OPENAPI);
  });
  return r;
}
