import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROCFILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'Procfile');

/**
 * The node flags the Procfile gives a process type (`web: node <flags> dist/src/main/web.js`),
 * so the dev stack and the benchmarks run each process as it is deployed — the web's memory
 * settings included (docs/performance.md).
 */
export function procfileNodeArgs(name: 'web' | 'worker', file = PROCFILE): string[] {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`${file} has no "${name}:" line`);
  return line
    .slice(name.length + 1)
    .trim()
    .split(/\s+/)
    .filter((w) => w.startsWith('--'));
}
