import type { Response, Router } from 'express';
import { BootlineError } from '../../errors.js';
import { DIAGRAM_FORMATS, flowPicture, type DiagramFormat } from '../flows/picture.js';
import type { FlowAdmin } from '../flows/service.js';
import { checkSize } from '../flows/text.js';
import { body, flowId, ref } from './params.js';

function format(v: unknown): DiagramFormat {
  const f = v === undefined ? 'svg' : v;
  if (typeof f !== 'string' || !DIAGRAM_FORMATS.includes(f as DiagramFormat))
    throw new BootlineError('BAD_REQUEST', `"format" is one of ${DIAGRAM_FORMATS.join(', ')}`);
  return f as DiagramFormat;
}

function send(res: Response, picture: { type: string; body: string | Buffer }): void {
  // Opened on its own the SVG is a document: it may not run or load anything.
  res
    .type(picture.type)
    .set({ 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' })
    .send(picture.body);
}

/**
 * GET /flows/:id/graph?version=&format=svg|png|mermaid — a stored version's diagram;
 * POST /flows/:id/graph {text, format?} — the diagram of a text being edited (the console
 * redraws the draft as the operator types). An unknown format is refused, never answered
 * with another one.
 */
export function graphRoutes(r: Router, admin: FlowAdmin): void {
  r.get('/flows/:id/graph', async (req, res) => {
    const id = flowId(req);
    const f = format(req.query.format);
    send(res, await flowPicture(id, admin.textOf(id, ref(req.query.version, 'published')).text, f));
  });
  r.post('/flows/:id/graph', async (req, res) => {
    const f = format(body(req).format);
    send(res, await flowPicture(flowId(req), checkSize(body(req).text), f));
  });
}
