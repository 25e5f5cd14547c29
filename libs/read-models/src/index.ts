export * from './read-db';
export * from './runner/projection';
export * from './runner/projection-runner';
export { physicalName } from './runner/tables';
export * from './reactors/reactor';
export * from './reactors/reactor-runner';
export * from './reactors/ledger-commands';
