/** Nest injection token for the process's LedgerRuntime (store, read database, runner, metrics). */
export const RUNTIME = Symbol('LedgerRuntime');
