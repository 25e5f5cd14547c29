// Entry of the projection thread (see projection-thread.ts); plain JS so that it loads the same code as
// the main thread: the compiled module in dist/ (`npm run build`), else the TypeScript source.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, 'projection-thread.main.js');
if (existsSync(compiled)) {
  require('../../../../scripts/register-dist.js');
  require(compiled);
} else {
  require('../../../scripts/register.js');
  require('./projection-thread.main.ts');
}
