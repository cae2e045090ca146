import { BootlineError } from '../../errors.js';
import { flowMermaid, flowSvg } from './diagram.js';
import { drawableFlow } from './drawable.js';
import { svgToPng } from './png.js';
import { validateFlowText } from './text.js';

export type DiagramFormat = 'svg' | 'png' | 'mermaid';
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['svg', 'png', 'mermaid'];

/**
 * One picture of a flow text for the console, the API and the CLI alike: SVG (problems shown
 * on their steps, so a draft with mistakes still draws), PNG (the same SVG rasterised) or
 * Mermaid (valid flows only: it is for pasting elsewhere). A text that is not YAML at all
 * cannot be drawn and is refused with its problems.
 */
export async function flowPicture(
  id: string,
  text: string,
  format: DiagramFormat,
): Promise<{ type: string; body: string | Buffer }> {
  const v = validateFlowText(id, text);
  if (format === 'mermaid') {
    if (!v.valid)
      throw new BootlineError('FLOW_DRAFT_INVALID', 'that version is invalid; fix it for its Mermaid text', {
        public: { problems: v.problems },
      });
    return { type: 'text/plain', body: flowMermaid(v.flow) };
  }
  const drawable = drawableFlow(id, text, v.problems);
  if (!drawable)
    throw new BootlineError('FLOW_DRAFT_INVALID', 'that text is not YAML; fix it to see its diagram', {
      public: { problems: v.problems },
    });
  const svg = await flowSvg(drawable);
  return format === 'png' ? { type: 'image/png', body: await svgToPng(svg) } : { type: 'image/svg+xml', body: svg };
}
