// Entry of a rebuild thread (see rebuild-thread.ts); plain JS so it loads the TypeScript
// sources the same way the main thread does.
require('../../../scripts/register.js');
require('./rebuild-thread.main.ts');
