const swc = require('./scripts/swc-options');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, sourceMaps: 'inline', swcrc: false }],
    // jose 6 and content-disposition 3 (under @fastify/static) ship ES modules only; Jest on Node 20 cannot require() them, so SWC turns them into CommonJS.
    '/node_modules/(jose|content-disposition)/.+\\.js$': [
      '@swc/jest',
      { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } }, sourceMaps: false, swcrc: false },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|content-disposition)/)'],
  moduleNameMapper: { '^@ledger/([^/]+)(/(.*))?$': '<rootDir>/libs/$1/src/$3' },
  testTimeout: 60000,
  // Suites share one PostgreSQL server and machine; two workers keep them from starving each other.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
