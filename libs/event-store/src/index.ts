export * from './port';
export * from './errors';
export * from './upcasting';
export * from './polling-subscription';
export { SqliteEventStore, openSqlite } from './sqlite/sqlite-event-store';
