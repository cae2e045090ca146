import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { flowGraph, type GraphEdge, type GraphNode } from '../../voice/graph.js';
import type { DrawableFlow } from './drawable.js';

export type NodeKind = GraphNode['kind'] | 'missing';
export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface PlacedNode {
  readonly id: string;
  readonly type: string;
  readonly kind: NodeKind;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface PlacedEdge extends Omit<GraphEdge, 'label'> {
  /** From the border of `from` to the border of `to`: ELK routes edges to meet their nodes. */
  readonly points: readonly Point[];
  readonly label?: string;
  readonly labelAt?: Point;
}
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Average advance of the 12 px sans-serif the SVG uses (bold ids are a little wider). */
const CHAR_W = 7.4;
const LABEL_CHAR_W = 6.2;

type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let elkLoaded: Promise<Elk> | null = null;

/**
 * ELK, loaded on the first diagram drawn: the bundled layout engine costs the process ~30 MB of
 * memory, which a web process that never draws a diagram (most of them) should not carry.
 */
function elkEngine(): Promise<Elk> {
  elkLoaded ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    // A CommonJS module: its default export is module.exports, whose `default` is the constructor.
    const ELK = (m.default as unknown as { default: new () => Elk }).default;
    return new ELK();
  });
  return elkLoaded;
}

/**
 * Places the flow with ELK's layered algorithm (Sugiyama-style, top to bottom): nodes in
 * ranks, crossings reduced, edges routed orthogonally from border to border with their labels
 * placed beside them, self-loops (a retry that asks again) drawn by ELK as well. A reference to
 * a step that does not exist gets a node of its own ("missing"), so a broken draft still draws.
 */
export async function layoutFlow(d: DrawableFlow): Promise<Layout> {
  const { nodes, edges } = flowGraph(d.flow);
  const all: Array<{ id: string; type: string; kind: NodeKind }> = [...nodes];
  for (const e of edges)
    if (!all.some((n) => n.id === e.to)) all.push({ id: e.to, type: 'missing step', kind: 'missing' });
  const size = (n: { id: string; type: string; kind: NodeKind }) => ({
    width: Math.ceil(Math.max(n.id.length * CHAR_W, n.kind === 'entry' ? 0 : n.type.length * 6.6) + 28),
    height: n.kind === 'entry' ? 28 : 44,
  });
  const graph: ElkNode = await (await elkEngine()).layout({
    id: 'flow',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.spacing.nodeNode': '34',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.padding': '[top=14,left=14,bottom=14,right=14]',
    },
    children: all.map((n) => ({ id: n.id, ...size(n) })),
    edges: edges.map((e, i) => ({
      id: `e${i}`,
      sources: [e.from],
      targets: [e.to],
      ...(e.label ? { labels: [{ text: e.label, width: e.label.length * LABEL_CHAR_W + 6, height: 14 }] } : {}),
    })),
  });
  const placed = new Map((graph.children ?? []).map((c) => [c.id, c]));
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: all.map((n) => {
      const c = placed.get(n.id)!;
      return { ...n, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
    }),
    edges: edges.map((e, i) => {
      const out = graph.edges?.find((x) => x.id === `e${i}`);
      const s = out?.sections?.[0];
      const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
      const l = out?.labels?.[0];
      return {
        ...e,
        points,
        ...(l && l.x !== undefined && l.y !== undefined
          ? { labelAt: { x: l.x + (l.width ?? 0) / 2, y: l.y + (l.height ?? 0) / 2 } }
          : {}),
      };
    }),
  };
}
