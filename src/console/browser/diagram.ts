import svgPanZoom from 'svg-pan-zoom';

type PanZoom = ReturnType<typeof svgPanZoom>;

/**
 * The flow diagram inside its pane: the server's SVG put into the page (so nodes are
 * clickable and styled by console.css), fitted to the pane when first shown, zoomed and
 * panned with svg-pan-zoom (wheel, drag, the +/−/reset controls, double-click). Redraws keep
 * the operator's zoom and pan. Nodes with a step line are focusable and jump the editor.
 */
export class DiagramPane {
  private pz: PanZoom | null = null;
  private current: string | null = null;
  private path: readonly string[] = [];

  constructor(
    private readonly box: HTMLElement,
    private readonly onNode: (step: string, line: number | null) => void,
  ) {
    box.addEventListener('click', (e) => this.pick(e.target));
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        if (this.pick(e.target)) e.preventDefault();
      }
    });
  }

  /** Shows an SVG document (text from the server); keeps zoom and pan across redraws. */
  show(svgText: string): void {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const svg = doc.documentElement;
    if (svg.nodeName !== 'svg') return;
    const keep = this.pz ? { zoom: this.pz.getZoom(), pan: this.pz.getPan() } : null;
    this.pz?.destroy();
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('class', 'flow-diagram');
    for (const g of svg.querySelectorAll('g.node[data-line]')) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `Go to step ${g.getAttribute('data-step')} in the editor`);
    }
    this.box.replaceChildren(document.importNode(svg, true));
    const shown = this.box.querySelector('svg')!;
    this.pz = svgPanZoom(shown, {
      controlIconsEnabled: true,
      zoomScaleSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 12,
      fit: true,
      center: true,
      dblClickZoomEnabled: true,
    });
    if (keep) {
      this.pz.zoom(keep.zoom);
      this.pz.pan(keep.pan);
    }
    this.mark();
  }

  /** Re-fits the whole flow into the pane. */
  fit(): void {
    this.pz?.resize();
    this.pz?.fit();
    this.pz?.center();
  }

  /** The step the editor's cursor is in (null: none). */
  setCurrent(step: string | null): void {
    this.current = step;
    this.mark();
  }

  /** Steps a call went through, in order: nodes and the edges between consecutive ones are highlighted. */
  setPath(steps: readonly string[]): void {
    this.path = steps;
    this.mark();
  }

  /** Step id → line of its key in the text, as the server wrote it on the nodes. */
  lines(): Array<[string, number]> {
    return [...this.box.querySelectorAll('g.node[data-line]')].map((g) => [
      g.getAttribute('data-step') ?? '',
      Number(g.getAttribute('data-line')),
    ]);
  }

  private mark(): void {
    const visited = new Set(this.path);
    const hops = new Set(this.path.slice(1).map((to, i) => `${this.path[i]}\u0000${to}`));
    for (const g of this.box.querySelectorAll('g.node')) {
      const step = g.getAttribute('data-step');
      g.classList.toggle('current', step !== null && step === this.current);
      g.classList.toggle('visited', step !== null && visited.has(step));
    }
    for (const g of this.box.querySelectorAll('g.edge'))
      g.classList.toggle('visited', hops.has(`${g.getAttribute('data-from')}\u0000${g.getAttribute('data-to')}`));
  }

  private pick(target: EventTarget | null): boolean {
    const g = (target as Element | null)?.closest?.('g.node');
    const step = g?.getAttribute('data-step');
    if (!g || !step) return false;
    const line = g.getAttribute('data-line');
    this.onNode(step, line ? Number(line) : null);
    return true;
  }
}
