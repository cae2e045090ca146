import { el } from './dom.js';

/** A unified diff as lines coloured by kind: additions, removals, hunk headers, file names. */
export function renderDiff(box: HTMLElement, diff: string): void {
  const kind = (l: string) =>
    l.startsWith('+++') || l.startsWith('---')
      ? 'file'
      : l.startsWith('@@')
        ? 'hunk'
        : l.startsWith('+')
          ? 'add'
          : l.startsWith('-')
            ? 'del'
            : l.startsWith('=')
              ? 'file'
              : 'same';
  box.replaceChildren(...diff.split('\n').map((l) => el('span', { class: `diff-${kind(l)}` }, `${l}\n`)));
}
