import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Generated } from 'kysely';
import { survivePoolErrors } from '@ledger/event-store';
import { Pool } from 'pg';
import type { LedgerConfig } from '@ledger/platform/config';

/**
 * What sign-in needs beside the log: the password hashes, the sessions and the recent failures
 * of each user name. Kept out of the event log on purpose — a hash is not personal data, but an
 * immutable log would keep every old hash for ever, and a session is state that expires.
 * The accounts' names, roles and scopes are copied here from their events (written right after
 * the events by AccountsService) so that a session is checked with one read.
 *
 * Embedded mode: `<dataDir>/accounts.db`; server modes: tables `web_*` in the ledger's schema.
 */
interface Tables {
  web_accounts: {
    account_id: string;
    username: string;
    role: string;
    regions: string;
    disabled: number;
    password_hash: string;
    created_at: string;
  };
  web_sessions: {
    id_hash: string;
    account_id: string;
    csrf: string;
    expires_at: number;
    address: string;
    created_at: string;
  };
  web_sign_in_failures: { id: Generated<number>; username_key: string; failed_at: number };
}

export interface AccountRow {
  accountId: string;
  username: string;
  role: string;
  regions: string[];
  disabled: boolean;
  createdAt: string;
}

export interface SessionRow {
  accountId: string;
  username: string;
  role: string;
  regions: string[];
  disabled: boolean;
  csrf: string;
  expiresAt: number;
}

export class CredentialStore {
  private constructor(private readonly db: Kysely<Tables>) {}

  static async open(config: LedgerConfig): Promise<CredentialStore> {
    if (config.store === 'sqlite') {
      const database = new Database(join(config.dataDir, 'accounts.db'));
      database.pragma('busy_timeout = 10000');
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = FULL');
      const store = new CredentialStore(new Kysely<Tables>({ dialect: new SqliteDialect({ database }) }));
      await migrate(store.db, 'integer primary key autoincrement');
      return store;
    }
    const pool = new Pool({
      connectionString: config.databaseUrl,
      max: 4,
      options: `-c search_path=${config.pgSchema}`,
    });
    // A dropped connection, idle or checked out, surfaces on its next query, never as an
    // unheard 'error' event that would end the process.
    survivePoolErrors(pool);
    const store = new CredentialStore(new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }));
    // Processes starting together on an empty schema would otherwise collide on the catalog's
    // unique indexes (CREATE ... IF NOT EXISTS is not atomic); the advisory lock serialises them.
    await store.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`ledger.accounts:${config.pgSchema}`}))`.execute(trx);
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(config.pgSchema)}`.execute(trx);
      await migrate(trx, 'bigserial primary key');
    });
    return store;
  }

  async addAccount(row: AccountRow, passwordHash: string): Promise<void> {
    await this.db
      .insertInto('web_accounts')
      .values({
        account_id: row.accountId,
        username: row.username,
        role: row.role,
        regions: JSON.stringify(row.regions),
        disabled: row.disabled ? 1 : 0,
        password_hash: passwordHash,
        created_at: row.createdAt,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
  }

  async byUsername(username: string): Promise<(AccountRow & { passwordHash: string }) | undefined> {
    const row = await this.db
      .selectFrom('web_accounts')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row && { ...accountOf(row), passwordHash: row.password_hash };
  }

  async accounts(): Promise<AccountRow[]> {
    const rows = await this.db.selectFrom('web_accounts').selectAll().orderBy('username').execute();
    return rows.map(accountOf);
  }

  async account(accountId: string): Promise<AccountRow | undefined> {
    const row = await this.db
      .selectFrom('web_accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row && accountOf(row);
  }

  /** Disabling ends the account's sessions in the same transaction. */
  async setDisabled(accountId: string, disabled: boolean): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('web_accounts')
        .set({ disabled: disabled ? 1 : 0 })
        .where('account_id', '=', accountId)
        .execute();
      if (disabled) await tx.deleteFrom('web_sessions').where('account_id', '=', accountId).execute();
    });
  }

  async recordFailure(usernameKey: string, at: number): Promise<void> {
    await this.db
      .insertInto('web_sign_in_failures')
      .values({ username_key: usernameKey, failed_at: at })
      .execute();
  }

  async failuresSince(usernameKey: string, since: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('web_sign_in_failures')
      .select('failed_at')
      .where('username_key', '=', usernameKey)
      .where('failed_at', '>', since)
      .execute();
    return rows.map((row) => Number(row.failed_at));
  }

  /** A successful sign-in starts the count again; old failures are dropped as they age. */
  async clearFailures(usernameKey: string, olderThan: number): Promise<void> {
    await this.db
      .deleteFrom('web_sign_in_failures')
      .where((eb) => eb.or([eb('username_key', '=', usernameKey), eb('failed_at', '<', olderThan)]))
      .execute();
  }

  async addSession(session: {
    idHash: string;
    accountId: string;
    csrf: string;
    expiresAt: number;
    address: string;
  }): Promise<void> {
    await this.db
      .insertInto('web_sessions')
      .values({
        id_hash: session.idHash,
        account_id: session.accountId,
        csrf: session.csrf,
        expires_at: session.expiresAt,
        address: session.address,
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  async session(idHash: string): Promise<SessionRow | undefined> {
    const row = await this.db
      .selectFrom('web_sessions as s')
      .innerJoin('web_accounts as a', 'a.account_id', 's.account_id')
      .select(['a.account_id', 'a.username', 'a.role', 'a.regions', 'a.disabled', 's.csrf', 's.expires_at'])
      .where('s.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accountId: row.account_id,
      username: row.username,
      role: row.role,
      regions: JSON.parse(row.regions) as string[],
      disabled: Number(row.disabled) === 1,
      csrf: row.csrf,
      expiresAt: Number(row.expires_at),
    };
  }

  /** The sessions of an account other than this one. */
  async otherSessions(accountId: string, idHash: string): Promise<number> {
    const row = await this.db
      .selectFrom('web_sessions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('id_hash', '<>', idHash)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A new hash, and every other session of the account ended, in one transaction. */
  async changePassword(accountId: string, passwordHash: string, keepIdHash: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('web_accounts')
        .set({ password_hash: passwordHash })
        .where('account_id', '=', accountId)
        .execute();
      await tx
        .deleteFrom('web_sessions')
        .where('account_id', '=', accountId)
        .where('id_hash', '<>', keepIdHash)
        .execute();
    });
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('expires_at', '<', now).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function accountOf(row: Tables['web_accounts']): AccountRow {
  return {
    accountId: row.account_id,
    username: row.username,
    role: row.role,
    regions: JSON.parse(row.regions) as string[],
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
  };
}

async function migrate(db: Kysely<Tables>, serial: string): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS web_accounts (
    account_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    regions TEXT NOT NULL, disabled INTEGER NOT NULL, password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS web_sessions (
    id_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL, address TEXT NOT NULL, created_at TEXT NOT NULL)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS web_sessions_account ON web_sessions (account_id)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS web_sign_in_failures (
    id ${sql.raw(serial)}, username_key TEXT NOT NULL, failed_at BIGINT NOT NULL)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS web_sign_in_failures_key
    ON web_sign_in_failures (username_key, failed_at)`.execute(db);
}
