/**
 * Dependency rules checked on every test run (`npm run deps`): the domain stays pure,
 * adapters stay behind the port, libraries never reach into applications.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'Domain code (deciders, events, rules) imports nothing from NestJS, databases or adapters. ' +
        'Only command handlers (*.handlers.ts) and their wiring (*.deps.ts) touch the store and crypto.',
      severity: 'error',
      from: { path: '^libs/ledger/src', pathNot: '\\.(int-|e2e-)?spec\\.ts$|\\.(handlers|deps)\\.ts$' },
      to: {
        path: [
          '^node_modules/@nestjs',
          '^node_modules/(better-sqlite3|pg|kysely|@kurrent|fastify)',
          '^libs/event-store/src/(sqlite|postgres|kurrentdb)/',
          '^libs/(crypto|platform|runtime)/',
          '^libs/read-models/',
          '^apps/',
        ],
      },
    },
    {
      name: 'port-not-adapters',
      comment: 'The event store port and shared code do not depend on any one adapter.',
      severity: 'error',
      from: { path: '^libs/event-store/src/[^/]+\\.ts$' },
      to: { path: '^libs/event-store/src/(postgres|kurrentdb)/' },
    },
    {
      name: 'libs-not-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|data|tmp)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
