/** Edit distance (insertions, deletions, substitutions) between two short words; two rows of memory. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known word nearest to a misspelt one, if it is near enough to be what was meant: at most
 * a third of its letters changed (at least one), case ignored. Undefined when nothing is close.
 */
export function nearest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    if (k === word) continue;
    const d = levenshtein(w, k.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

/** ` (did you mean "x"?)` for a near miss, '' otherwise: appended to "unknown …" messages. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const k = nearest(word, known);
  return k === undefined ? '' : ` (did you mean "${k}"?)`;
}
