// Entry of the rebuild thread (see rebuild-thread.ts); plain JS so that it loads the same code as
// the main thread: the compiled module in dist/ (`npm run build`), else the TypeScript source.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, 'rebuild-thread.main.js');
if (existsSync(compiled)) {
  require('../../../../scripts/register-dist.js');
  require(compiled);
} else {
  require('../../../scripts/register.js');
  require('./rebuild-thread.main.ts');
}
