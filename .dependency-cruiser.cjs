/**
 * Architecture rules: dependencies point inward (domain <- ports <- prompts <- conferences, calls,
 * directory, meetings, integrations <- adapters <- main); calls use conferences, never the reverse.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no node built-ins, no packages, no other layer.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'prompts-depend-on-domain-and-ports-only',
      comment: 'The prompt catalogue is shared by calls and conferences, so it may not import either.',
      severity: 'error',
      from: { path: '^src/prompts/' },
      to: { pathNot: '^src/(prompts|domain|ports)/' },
    },
    {
      name: 'conferences-do-not-import-call-flows',
      comment: 'Call flows drive the live conference; the conference never reaches back up into them.',
      severity: 'error',
      from: { path: '^src/conferences/' },
      to: { path: '^src/calls/' },
    },
    {
      name: 'only-the-ari-adapter-imports-ari-client',
      severity: 'error',
      from: { pathNot: '^src/adapters/ari/' },
      to: { path: 'node_modules/ari-client/' },
    },
    {
      name: 'inner-layers-do-not-import-adapters',
      comment: 'calls, cluster, conferences, directory, meetings, prompts, integrations and ports depend on ports and domain only.',
      severity: 'error',
      from: { path: '^src/(calls|cluster|conferences|directory|meetings|prompts|integrations|ports)/' },
      to: { path: '^src/(adapters|web)/|^src/main\\.ts$|^src/config\\.ts$' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
