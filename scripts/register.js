// Runs the TypeScript sources directly (no build step before `npm start`):
// transpiles .ts with SWC on load and resolves the `@ledger/*` library aliases.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const options = require('./swc-options');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request.startsWith('@ledger/')) {
    const [, lib, ...sub] = request.split('/');
    request = path.join(root, 'libs', lib, 'src', ...sub);
  }
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
