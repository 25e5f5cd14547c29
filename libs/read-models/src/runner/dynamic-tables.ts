import type { Kysely } from 'kysely';

/**
 * Tables whose names are known only at run time: a generation's physical tables
 * (`finance_invoices__g3`), the tables a custom projection is handed by `table(...)`, and
 * the runner's own bookkeeping. Column values are `unknown` until the code that reads them
 * says what they are (PostgreSQL returns BIGINT as a string, SQLite as a number).
 */
export type DynamicTables = Record<string, Record<string, unknown>>;

/** A connection or transaction over tables named at run time. */
export type DynamicDb = Kysely<DynamicTables>;
