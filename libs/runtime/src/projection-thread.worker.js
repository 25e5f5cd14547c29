// Entry of the projection thread (see projection-thread.ts); plain JS so it loads the
// TypeScript sources the same way the main thread does.
require('../../../scripts/register.js');
require('./projection-thread.main.ts');
