import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { MAX_EXPANDED_VALUES, type TextProblem } from './flow-text.js';

/**
 * Bounds on a parsed flow document that the `yaml` package leaves to its caller, each in one
 * pass over the document's nodes (flow-text.ts bounds the text before the parse).
 */

/**
 * The number of values the document holds, counting each alias as the whole of what it
 * stands for (`followAliases`) or as one value, up to just past `MAX_EXPANDED_VALUES`: a few
 * anchors referring to each other ("billion laughs") multiply, and every rule after the
 * parse walks the expansion.
 */
export function documentValues(doc: Document, followAliases: boolean): number {
  const sizes = new Map<Node, number>();
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 1;
    const known = sizes.get(node as Node);
    if (known !== undefined) return known;
    // Marked before the walk: an alias inside its own anchor counts once, not forever.
    sizes.set(node as Node, MAX_EXPANDED_VALUES + 1);
    let n = 1;
    if (isAlias(node)) n = followAliases ? size(node.resolve(doc)) : 1;
    else if (isMap(node) || isSeq(node))
      for (const item of node.items) {
        n += isPair(item) ? size(item.key) + size(item.value) : size(item);
        if (n > MAX_EXPANDED_VALUES) break;
      }
    sizes.set(node as Node, n);
    return n;
  };
  return size(doc.contents);
}

/**
 * Keys given twice in one mapping, with the line of the second (YAML 1.2 §3.2.1.1: keys are
 * unique). The `yaml` package can check this itself, comparing every key with every other:
 * 20 s for a 200,000-character map on a loaded machine; a set does it in one pass.
 */
export function duplicateKeys(doc: Document, counter: LineCounter): TextProblem[] {
  const out: TextProblem[] = [];
  const seen = new Set<Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length && out.length < 100) {
    const node = stack.pop();
    if (!isMap(node) && !isSeq(node)) continue;
    if (seen.has(node)) continue;
    seen.add(node);
    const keys = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      stack.push(item.value);
      if (!isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (keys.has(key))
        out.push({
          line: item.key.range ? counter.linePos(item.key.range[0]).line : 1,
          message: `Map keys must be unique ("${key.slice(0, 40)}" is given twice)`,
        });
      keys.add(key);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
