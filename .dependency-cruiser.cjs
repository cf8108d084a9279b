// The layers of docs/architecture.md, held in CI (`npm run deps`): no import cycle, and no
// capability importing one above it or one beside it that scripts/capability-layers.cjs does not name.
const { LAYERS, BESIDE } = require('./scripts/capability-layers.cjs');

const SEVERITY = 'error';
const capabilities = LAYERS.flat().filter((name) => name !== '(root)');
const folder = (names) => `^server/(${names.join('|')})/`;

const layerRules = LAYERS.flatMap((names, layer) =>
  names
    .filter((name) => name !== '(root)')
    .map((name) => {
      const allowed = new Set([name, ...LAYERS.slice(0, layer).flat(), ...(BESIDE[name] ?? [])]);
      const forbidden = capabilities.filter((other) => !allowed.has(other));
      return {
        name: `layer-${name}`,
        comment: `${name} imports only lower layers${BESIDE[name] ? ` and ${BESIDE[name].join(', ')}` : ''} (docs/architecture.md)`,
        severity: SEVERITY,
        from: { path: folder([name]) },
        to: { path: forbidden.length ? folder(forbidden) : '^$' },
      };
    }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules of server/ import each other in a circle.',
      severity: SEVERITY,
      from: { path: '^server/' },
      to: { circular: true },
    },
    {
      name: 'folder-in-a-layer',
      comment: 'Every folder of server/ sits in one layer of scripts/capability-layers.cjs.',
      severity: SEVERITY,
      from: { path: '^server/[^/]+/', pathNot: folder(capabilities) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^server/platform/database/launcher/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
