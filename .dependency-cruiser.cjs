/**
 * The layering of src/, checked in CI (`npm run lint`, which also refuses any import cycle between
 * the capability folders below, type-only imports included). docs/design/architecture.md explains it.
 *
 *   entrypoints   main/ cli/ bench/ tooling/     read env, open sockets, handle signals
 *   composition   app/                           createWeb(), createWorker(), createApp()
 *   features      console/ → agents/ → voice/ → doors/ → deliveries/   (each only imports those to its right)
 *   infrastructure queues/ smpp/ dm/ subscriber/ twilio/ codec/ policy/ config/ platform/ errors.ts
 *   dev stand-ins dev/                           only entrypoints, bench and tests import them
 */
const FEATURES = ['console', 'agents', 'voice', 'doors', 'deliveries'];
const INFRA = 'queues|smpp|dm|subscriber|twilio|codec|policy|config|platform|types';
const folder = (names) => `^src/(${names})/`;

/** A feature may import only the features listed after it. */
const featureOrder = FEATURES.map((name, i) => ({
  name: `feature-order-${name}`,
  comment: `${name}/ may import only ${FEATURES.slice(i + 1).join(', ') || 'infrastructure'} among the features`,
  severity: 'error',
  from: { path: folder(name) },
  to: { path: folder(FEATURES.slice(0, i + 1).filter((f) => f !== name).join('|') || '$^') },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycle between modules at run time (type-only imports are erased by tsc)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'entrypoints-are-top',
      comment: 'nothing imports an entrypoint but another entrypoint',
      severity: 'error',
      from: { pathNot: folder('main|cli|bench|tooling') },
      to: { path: folder('main|cli|bench|tooling') },
    },
    {
      name: 'composition-below-entrypoints',
      comment: 'only entrypoints (and tests) import the composition roots',
      severity: 'error',
      from: { pathNot: folder('main|cli|bench|tooling|app') },
      to: { path: folder('app') },
    },
    {
      name: 'infrastructure-below-features',
      comment: 'infrastructure never imports a feature',
      severity: 'error',
      from: { path: `${folder(INFRA)}|^src/errors\\.ts$` },
      to: { path: folder(FEATURES.join('|')) },
    },
    ...featureOrder,
    {
      name: 'dev-stand-ins-not-in-product',
      comment: 'dev/ (local SMSC, DM server, Twilio REST, subscriber lookup, Redis) is never imported by product code',
      severity: 'error',
      from: { path: '^src/', pathNot: `${folder('dev|bench|cli')}|^src/main/dev-stack\\.ts$` },
      to: { path: folder('dev') },
    },
    {
      name: 'codec-is-pure',
      comment: 'codec/ depends on no other part of bootline but errors.ts (pure libraries from npm are fine)',
      severity: 'error',
      from: { path: folder('codec') },
      to: { path: '^src/', pathNot: '^src/codec/|^src/errors\\.ts$' },
    },
    {
      name: 'codec-does-no-io',
      comment: 'codec/ uses no Node.js module but crypto: no file, network, process or timer I/O',
      severity: 'error',
      from: { path: folder('codec') },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
