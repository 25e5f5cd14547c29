/**
 * Dependency rules checked on every test run (`npm run deps`): the domain stays pure,
 * adapters stay behind the port, libraries never reach into applications, and the layers
 * point one way: crypto <- ledger <- read-models <- runtime <- apps, platform beside.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'Domain code (deciders, events, rules) imports nothing from NestJS, databases or adapters. ' +
        'Only command handlers (*.handler.ts, one a use case) and their wiring (*.deps.ts) touch the store and crypto.',
      severity: 'error',
      from: { path: '^libs/ledger/src', pathNot: '\\.(int-|e2e-)?spec\\.ts$|\\.(handler|deps)\\.ts$' },
      to: {
        path: [
          '(^|/)node_modules/@nestjs/',
          '(^|/)node_modules/(better-sqlite3|pg|kysely|@kurrent|fastify)/',
          '^libs/event-store/src/(sqlite|postgres|kurrentdb)/',
          '^libs/(crypto|platform|runtime)/',
          '^libs/read-models/',
          '^apps/',
        ],
      },
    },
    {
      name: 'crypto-below-everything',
      comment:
        'The cipher, key wrapping and person-key store sit below the domain: they import the event store at most, ' +
        'nothing of the ledger, the read models, platform, the composition root or the applications.',
      severity: 'error',
      from: { path: '^libs/crypto/' },
      to: { path: '^(libs/(ledger|read-models|platform|runtime)/|apps/)' },
    },
    {
      name: 'integrity-beside-crypto',
      comment:
        'Event hashes, the Merkle tree, checkpoints and proofs read the event store and nothing of the domain, ' +
        'the read models, platform, the composition root or the applications: a verifier needs only the log.',
      severity: 'error',
      from: { path: '^libs/integrity/', pathNot: '(\\.(int-|e2e-)?spec\\.ts|/testing/)' },
      to: { path: '^(libs/(ledger|read-models|platform|runtime|crypto)/|apps/)' },
    },
    {
      name: 'ledger-imports-nothing-above',
      comment: 'The domain imports crypto and the event store port; nothing of platform, the read models or the runtime.',
      severity: 'error',
      from: { path: '^libs/ledger/' },
      to: { path: '^libs/(platform|read-models|runtime)/' },
    },
    {
      name: 'platform-beside-domain',
      comment:
        'Configuration, auth, HTTP errors and metrics know neither the domain nor the read models nor the runtime ' +
        '(their specs may use the real region directory); the application hands the HTTP filter its mapping of domain refusals.',
      severity: 'error',
      from: { path: '^libs/platform/', pathNot: '\\.(int-|e2e-)?spec\\.ts$' },
      to: { path: '^libs/(ledger|read-models|runtime)/' },
    },
    {
      name: 'read-models-without-nest',
      comment:
        'Read models and reactors know no framework: a reactor returns its commands as data to a dispatcher port. ' +
        'The CommandBus of @nestjs/cqrs that executes them is composed in libs/runtime/src/commands.',
      severity: 'error',
      from: { path: '^libs/read-models/' },
      to: { path: '(^|/)node_modules/@nestjs/' },
    },
    {
      name: 'runtime-only-from-apps',
      comment: 'The composition root (libs/runtime) knows every library; only the applications import it.',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/runtime/' },
      to: { path: '^libs/runtime/' },
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
