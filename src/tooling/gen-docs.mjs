#!/usr/bin/env node
// `npm run docs`: writes the generated reference pages from the compiled code (run after the build,
// which `npm run docs` does first). Each page has a unit test that fails while the committed file
// differs from what this writes, so a change to a schema or a table comes with its page.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href);

const PAGES = [
  ['docs/reference/configuration.md', 'config/doc.js', 'renderConfigurationDoc'],
  ['docs/reference/errors.md', 'errors-doc.js', 'renderErrorsDoc'],
  ['docs/reference/flow-steps.md', 'voice/steps-doc.js', 'renderFlowStepsDoc'],
  ['docs/reference/lifecycle.md', 'deliveries/lifecycle-doc.js', 'renderLifecycleDoc'],
  ['voice-flows/flow.schema.json', 'voice/json-schema.js', 'flowJsonSchemaText'],
];

for (const [file, module, fn] of PAGES) {
  const text = (await load(module))[fn]();
  writeFileSync(join(root, file), text);
  console.error(`docs: wrote ${file}`);
}
