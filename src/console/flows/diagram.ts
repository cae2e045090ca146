import type { FlowForCheck } from '../../voice/context.js';
import { flowGraph, type GraphEdge, type GraphNode } from '../../voice/graph.js';
import type { DrawableFlow } from './drawable.js';
import { layoutFlow, type NodeKind, type PlacedEdge, type PlacedNode } from './layout.js';

/** Mermaid `flowchart` text of a flow: paste into any Mermaid renderer (GitHub, GitLab, docs). */
export function flowMermaid(flow: FlowForCheck): string {
  const { nodes, edges } = flowGraph(flow);
  const ref = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  const shape = (n: GraphNode) => {
    const text = n.kind === 'entry' ? esc(n.id) : `${esc(n.id)}<br/><small>${n.type}</small>`;
    if (n.kind === 'entry') return `(("${text}"))`;
    if (n.kind === 'input') return `{{"${text}"}}`;
    if (n.kind === 'end') return `(["${text}"])`;
    if (n.kind === 'agent') return `[/"${text}"/]`;
    return `["${text}"]`;
  };
  const lines = ['flowchart TD'];
  for (const n of nodes) lines.push(`  ${ref.get(n.id)}${shape(n)}`);
  for (const e of edges) {
    const arrow = dashed(e) ? '-.->' : '-->';
    lines.push(`  ${ref.get(e.from)} ${arrow}${e.label ? `|"${esc(e.label)}"|` : ''} ${ref.get(e.to)}`);
  }
  for (const [cls, [fill, stroke]] of Object.entries(FILL))
    if (cls !== 'missing') lines.push(`  classDef ${cls} fill:${fill},stroke:${stroke}`);
  for (const n of nodes) lines.push(`  class ${ref.get(n.id)} ${n.kind}`);
  return lines.join('\n') + '\n';
}

const FILL: Record<NodeKind, [string, string]> = {
  entry: ['#eeeeff', '#444477'],
  input: ['#e8f4ff', '#1d5fa8'],
  wait: ['#fff7e0', '#8a6000'],
  action: ['#f4f4f4', '#555555'],
  end: ['#fde8e8', '#a33333'],
  agent: ['#e7f7ea', '#2a7a3b'],
  missing: ['#ffffff', '#b00020'],
};
const EDGE_COLOUR: Record<GraphEdge['kind'], string> = {
  next: '#333333',
  option: '#1d5fa8',
  retry: '#a06000',
  escape: '#6a3d9a',
  error: '#a33333',
  start: '#333333',
};
const dashed = (e: Pick<GraphEdge, 'kind'>) => e.kind === 'retry' || e.kind === 'escape' || e.kind === 'error';
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (v: number) => v.toFixed(1);

/**
 * The flow drawn as SVG, laid out by ELK (layout.ts): input steps blue, waits amber, agent
 * exits green, hang-ups red, entry points (start, escape keys, error route) lilac, steps a
 * reference names but the flow lacks outlined red; retry edges dashed amber. A step with
 * problems gets a red border and a badge with their count (its <title> lists them). Nodes
 * carry `data-step` and `data-line` (where the step is written) for the console. Self-
 * contained: no scripts, no styles, no external fonts; <title>/<desc> for screen readers.
 */
export async function flowSvg(d: DrawableFlow): Promise<string> {
  const g = await layoutFlow(d);
  const problems = Object.values(d.problems).reduce((n, p) => n + p.length, 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" ` +
      `height="${g.height}" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12">`,
    `<title id="t">Voice flow ${xml(d.flow.id)}</title>`,
    `<desc id="d">${g.nodes.length} nodes, ${g.edges.length} transitions, starting at ${xml(d.flow.start)}` +
      `${problems ? `; ${problems} problem(s)` : ''}</desc>`,
    '<defs>',
    ...Object.entries(EDGE_COLOUR).map(
      ([k, c]) =>
        `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" ` +
        `orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`,
    ),
    '</defs>',
  ];
  for (const e of g.edges) out.push(edgeSvg(e));
  for (const n of g.nodes) out.push(nodeSvg(n, d));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function edgeSvg(e: PlacedEdge): string {
  const d = e.points.map((p, j) => `${j ? 'L' : 'M'}${n1(p.x)},${n1(p.y)}`).join(' ');
  const colour = EDGE_COLOUR[e.kind];
  const label =
    e.label && e.labelAt
      ? `<text x="${n1(e.labelAt.x)}" y="${n1(e.labelAt.y + 4)}" text-anchor="middle" fill="${colour}" ` +
        `font-size="11">${xml(e.label)}</text>`
      : '';
  return (
    `<g class="edge edge-${e.kind}" data-from="${xml(e.from)}" data-to="${xml(e.to)}">` +
    `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.3"${dashed(e) ? ' stroke-dasharray="5 3"' : ''} ` +
    `marker-end="url(#arrow-${e.kind})"/>${label}</g>`
  );
}

function nodeSvg(n: PlacedNode, d: DrawableFlow): string {
  const [fill, stroke] = FILL[n.kind];
  const issues = d.problems[n.id] ?? [];
  const cx = n.x + n.width / 2;
  const cy = n.y + n.height / 2;
  const rx = n.kind === 'entry' || n.kind === 'end' ? n.height / 2 : n.kind === 'input' ? 10 : 3;
  const line = d.lines[n.id];
  const bad = issues.length > 0 || n.kind === 'missing';
  const parts = [
    `<g class="node node-${n.kind}${bad ? ' has-problems' : ''}" data-step="${xml(n.id)}"` +
      `${line ? ` data-line="${line}"` : ''}>`,
    issues.length ? `<title>${xml(issues.join('\n'))}</title>` : '',
    `<rect x="${n1(n.x)}" y="${n1(n.y)}" width="${n1(n.width)}" height="${n.height}" rx="${n1(rx)}" fill="${fill}" ` +
      `stroke="${bad ? '#b00020' : stroke}" stroke-width="${bad ? 2.5 : 1.5}"` +
      `${n.kind === 'missing' ? ' stroke-dasharray="4 3"' : ''}/>`,
  ];
  if (n.kind === 'entry') parts.push(`<text x="${n1(cx)}" y="${n1(cy + 4)}" text-anchor="middle">${xml(n.id)}</text>`);
  else
    parts.push(
      `<text x="${n1(cx)}" y="${n1(cy - 3)}" text-anchor="middle" font-weight="bold">${xml(n.id)}</text>` +
        `<text x="${n1(cx)}" y="${n1(cy + 13)}" text-anchor="middle" fill="#555" font-size="11">${xml(n.type)}</text>`,
    );
  if (issues.length)
    parts.push(
      `<circle cx="${n1(n.x + n.width)}" cy="${n1(n.y)}" r="9" fill="#b00020"/>` +
        `<text x="${n1(n.x + n.width)}" y="${n1(n.y + 4)}" text-anchor="middle" fill="#fff" font-size="11" ` +
        `font-weight="bold">${issues.length}</text>`,
    );
  parts.push('</g>');
  return parts.join('');
}
