// Runs the compiled ledger (`npm run build` writes dist/): resolves the `@ledger/*` library
// aliases to their compiled modules. `node -r ./scripts/register-dist.js dist/apps/api/src/main.js`.
const path = require('node:path');
const Module = require('node:module');

const dist = path.resolve(__dirname, '..', 'dist');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request.startsWith('@ledger/')) {
    const [, lib, ...sub] = request.split('/');
    request = path.join(dist, 'libs', lib, 'src', ...sub);
  }
  return originalResolve.call(this, request, parent, ...rest);
};
process.setSourceMapsEnabled?.(true);
