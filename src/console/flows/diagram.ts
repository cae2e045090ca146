import dagre from '@dagrejs/dagre';
import type { FlowForCheck } from '../../voice/context.js';
import { flowGraph, type GraphEdge, type GraphNode } from '../../voice/graph.js';

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
    const arrow = e.kind === 'retry' || e.kind === 'escape' || e.kind === 'error' ? '-.->' : '-->';
    lines.push(`  ${ref.get(e.from)} ${arrow}${e.label ? `|"${esc(e.label)}"|` : ''} ${ref.get(e.to)}`);
  }
  for (const [cls, style] of Object.entries(CLASS_STYLE)) lines.push(`  classDef ${cls} ${style}`);
  for (const n of nodes) lines.push(`  class ${ref.get(n.id)} ${n.kind}`);
  return lines.join('\n') + '\n';
}

const CLASS_STYLE: Record<GraphNode['kind'], string> = {
  entry: 'fill:#eef,stroke:#447',
  input: 'fill:#e8f4ff,stroke:#1d5fa8',
  wait: 'fill:#fff7e0,stroke:#a07000',
  action: 'fill:#f4f4f4,stroke:#555',
  end: 'fill:#fde8e8,stroke:#a33',
  agent: 'fill:#e7f7ea,stroke:#2a7a3b',
};

const FILL: Record<GraphNode['kind'], [string, string]> = {
  entry: ['#eeeeff', '#444477'],
  input: ['#e8f4ff', '#1d5fa8'],
  wait: ['#fff7e0', '#8a6000'],
  action: ['#f4f4f4', '#555555'],
  end: ['#fde8e8', '#a33333'],
  agent: ['#e7f7ea', '#2a7a3b'],
};
const EDGE_COLOUR: Record<GraphEdge['kind'], string> = {
  next: '#333',
  option: '#1d5fa8',
  retry: '#a06000',
  escape: '#6a3d9a',
  error: '#a33333',
  start: '#333',
};

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const CHAR_W = 7.2;

/**
 * The flow drawn as SVG: a layered layout (dagre) top to bottom, input steps blue, waits
 * amber, agent exits green, hang-ups red, entry points (start, escape keys, error route)
 * lilac; retry edges dashed amber. Self-contained (no scripts, no external fonts), with a
 * <title>/<desc> for screen readers.
 */
export function flowSvg(flow: FlowForCheck & { id: string }): string {
  const { nodes, edges } = flowGraph(flow);
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 50, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  // Self-loops (retry branches that ask again) are drawn by hand to the right of their step;
  // the layout reserves room for them on both sides so the box stays centred.
  const loops = new Map(edges.filter((e) => e.from === e.to).map((e) => [e.from, e]));
  const boxW = new Map<string, number>();
  for (const n of nodes) {
    const w = Math.max(n.id.length, n.kind === 'entry' ? 0 : n.type.length) * CHAR_W + 24;
    boxW.set(n.id, w);
    const loop = loops.get(n.id);
    g.setNode(n.id, { width: loop ? w + 2 * (loop.label.length * 6.2 + 44) : w, height: n.kind === 'entry' ? 28 : 42 });
  }
  edges.forEach((e, i) => {
    if (e.from !== e.to)
      g.setEdge(e.from, e.to, { label: e.label, width: e.label.length * 6.2 + 6, height: 14, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" ` +
      `width="${Math.ceil(width)}" height="${Math.ceil(height)}" ` +
      'role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12">',
    `<title id="t">Voice flow ${xml(flow.id)}</title>`,
    `<desc id="d">${nodes.length} nodes, ${edges.length} transitions, starting at ${xml(flow.start)}</desc>`,
    '<defs>',
    ...Object.entries(EDGE_COLOUR).map(
      ([k, c]) =>
        `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" ` +
        `orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`,
    ),
    '</defs>',
  ];
  edges.forEach((e, i) => {
    const ge =
      e.from === e.to
        ? selfLoop(g.node(e.from) as { x: number; y: number }, boxW.get(e.from)!)
        : (g.edge({ v: e.from, w: e.to, name: `e${i}` }) as {
            points: Array<{ x: number; y: number }>;
            x?: number;
            y?: number;
          });
    const d =
      e.from === e.to
        ? loopPath(ge.points)
        : ge.points.map((p, j) => `${j ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const dash = e.kind === 'retry' || e.kind === 'escape' || e.kind === 'error' ? ' stroke-dasharray="5 3"' : '';
    out.push(
      `<g class="edge edge-${e.kind}" data-from="${xml(e.from)}" data-to="${xml(e.to)}">` +
        `<path d="${d}" fill="none" stroke="${EDGE_COLOUR[e.kind]}"${dash} marker-end="url(#arrow-${e.kind})"/>`,
    );
    const anchor = e.from === e.to ? 'start' : 'middle';
    if (e.label && ge.x !== undefined && ge.y !== undefined)
      out.push(
        `<text x="${ge.x.toFixed(1)}" y="${(ge.y + 4).toFixed(1)}" text-anchor="${anchor}" ` +
          `fill="${EDGE_COLOUR[e.kind]}" font-size="11">${xml(e.label)}</text>`,
      );
    out.push('</g>');
  });
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
    const [fill, stroke] = FILL[n.kind];
    p.width = boxW.get(n.id)!;
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const rx = n.kind === 'entry' || n.kind === 'end' ? p.height / 2 : n.kind === 'input' ? 10 : 3;
    out.push(
      `<g class="node node-${n.kind}" data-step="${xml(n.id)}">` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${p.width.toFixed(1)}" height="${p.height}" ` +
        `rx="${rx.toFixed(1)}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
    );
    if (n.kind === 'entry')
      out.push(`<text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle">${xml(n.id)}</text></g>`);
    else
      out.push(
        `<text x="${p.x.toFixed(1)}" y="${(p.y - 3).toFixed(1)}" text-anchor="middle" font-weight="bold">` +
          `${xml(n.id)}</text><text x="${p.x.toFixed(1)}" y="${(p.y + 12).toFixed(1)}" text-anchor="middle" ` +
          `fill="#555" font-size="11">${xml(n.type)}</text></g>`,
      );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A loop leaving the right edge of a box above its middle and coming back below it. */
function selfLoop(
  p: { x: number; y: number },
  width: number,
): { points: Array<{ x: number; y: number }>; x: number; y: number } {
  const right = p.x + width / 2;
  return {
    points: [
      { x: right, y: p.y - 8 },
      { x: right + 34, y: p.y - 26 },
      { x: right + 34, y: p.y + 26 },
      { x: right, y: p.y + 8 },
    ],
    x: right + 40,
    y: p.y,
  };
}

function loopPath(pts: ReadonlyArray<{ x: number; y: number }>): string {
  const [a, c1, c2, b] = pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
  return `M${a} C${c1} ${c2} ${b}`;
}
