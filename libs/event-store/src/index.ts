export * from './port';
export * from './errors';
export * from './upcasting';
export * from './append-hook';
export * from './polling-subscription';
export {
  SqliteEventStore,
  openSqlite,
  SQLITE_EVENTS_SCHEMA,
  type SqliteSynchronous,
} from './sqlite/sqlite-event-store';
export { readAhead } from './read-ahead';
export { storeFault, survivePoolErrors, type StoreFault, type StoreFaultKind } from './faults';
export * from './leaf-hash';
