#!/usr/bin/env node
// The console's browser script: src/console/browser/*.ts (CodeMirror, svg-pan-zoom and the
// pages' behaviour) type-checked with their own tsconfig (DOM types) and bundled by esbuild into
// one file, dist/console-static/console.js, that the web process serves as /console/static/console.js.
// Run by ensure.mjs after tsc; skipped when the bundle is newer than every source it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src', 'console', 'browser');
const out = join(root, 'dist', 'console-static', 'console.js');
const inputs = [
  ...readdirSync(src).map((f) => join(src, f)),
  join(root, 'voice-flows', 'flow.schema.json'),
  join(root, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];
const newest = Math.max(...inputs.filter(existsSync).map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs >= newest && process.argv[2] !== '--force') process.exit(0);

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(src, 'tsconfig.json')],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) {
  console.error('bootline: the console browser code does not type-check (src/console/browser)');
  process.exit(1);
}
const { build } = await import('esbuild');
/** codemirror-json-schema's Markdown renderer (markdown-it + shiki) → our plain one (markdown.ts). */
const plainMarkdown = {
  name: 'plain-markdown',
  setup(b) {
    b.onResolve({ filter: /\/utils\/markdown(\.js)?$/ }, (args) =>
      args.importer.includes('codemirror-json-schema') ? { path: join(src, 'markdown.ts') } : undefined,
    );
  },
};
await build({
  plugins: [plainMarkdown],
  entryPoints: [join(src, 'main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  outfile: out,
  logLevel: 'warning',
  metafile: false,
});
