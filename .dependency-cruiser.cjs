// The import check behind `npm run check:deps` (and so `npm test`): no import cycle anywhere in
// src/, and folders depend downward only, in the order of docs/architecture.md. Type-only imports
// count: a cycle of types is still a cycle a reader has to untangle.

/** src/ folders from the top layer to the bottom; a folder may import only from layers below it. */
const LAYERS = [
  ['cli'],
  ['cluster', 'history', 'sql'],
  ['application'],
  ['job'],
  ['context'],
  ['watch'],
  ['operations'],
  ['http'],
  ['schemas'],
  // Option and event types: the files at the root of src/ other than index.ts.
  ['options', '(events|version)\\.ts$'],
  ['internal'],
  ['errors'],
];

const pathOf = (entry) => (entry.endsWith('$') ? `^src/${entry}` : `^src/${entry}/`);
const anyOf = (entries) => `(${entries.map(pathOf).join('|')})`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(0, i).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${layer[0]}`,
      comment: `${layer.join(', ')} must not import from a layer above it (${above.join(', ')}): see docs/architecture.md`,
      severity: 'error',
      from: { path: anyOf(layer) },
      to: { path: anyOf(above) },
    },
  ];
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'testing-uses-lower-layers-only',
      comment: 'The simulator (flink-client/testing) may use the SDK\'s schemas, options, internal and errors, never its clients.',
      severity: 'error',
      from: { path: '^src/testing/' },
      to: { path: '^src/', pathNot: `^src/testing/|${anyOf(['schemas', 'options', '(events|version)\\.ts$', 'internal', 'errors'])}` },
    },
    {
      name: 'sdk-does-not-use-testing',
      comment: 'The SDK never depends on its simulator (the CLI may: its `simulate` command serves it).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(testing|cli)/' },
      to: { path: '^src/testing/' },
    },
    {
      name: 'cli-uses-public-api-only',
      comment: 'The CLI (src/cli) is a user of the SDK: it imports only the public entry points (flink-client, flink-client/testing).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: '^src/cli/|^src/(index|testing/index)\\.ts$' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'The CLI is the top layer: nothing else in src/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'internal-not-exported',
      comment: 'internal/ is never part of the public API.',
      severity: 'error',
      from: { path: '^src/(index|testing/index)\\.ts$' },
      to: { path: '^src/internal/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
