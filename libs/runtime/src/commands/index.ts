export * from './ledger-command';
export * from './ledger-command-kinds';
export * from './ledger-commands.module';
export * from './command-bus-dispatcher';
export * from './start-reactors';
export * from './contributions-sweep';
