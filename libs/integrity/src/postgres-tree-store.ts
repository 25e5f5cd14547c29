import { createHash } from 'node:crypto';
import { Pool, types } from 'pg';
import { survivePoolErrors, type StoredLeaf } from '@ledger/event-store';
import { nodeKey, type NodeId } from './merkle';
import type { StoredCheckpoint, TreeLeaf, TreeNode, TreeStore } from './tree-store';

const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : types.getTypeParser(oid, format),
};

/** The tree in the ledger's PostgreSQL schema, beside the events table. */
export class PostgresTreeStore implements TreeStore {
  private constructor(
    private readonly pool: Pool,
    private readonly s: string,
  ) {}

  static async open(connectionString: string, schema: string): Promise<PostgresTreeStore> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const pool = new Pool({
      connectionString,
      types: PG_TYPES,
      max: 4,
      application_name: 'ledger-integrity',
    });
    // A connection lost while idle or checked out (the server restarted) fails its query, which
    // the builder retries; unheard, its 'error' event would end the process.
    survivePoolErrors(pool);
    const s = schema;
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [lockKey('migrate', s)]);
      await client.query(`
        DO $guard$ BEGIN
          IF to_regnamespace('${s}') IS NULL THEN CREATE SCHEMA IF NOT EXISTS ${s}; END IF;
        END $guard$;
        CREATE TABLE IF NOT EXISTS ${s}.tree_leaves (
          idx bigint PRIMARY KEY, position bigint NOT NULL UNIQUE, hash bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS ${s}.tree_nodes (
          level int NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx));
        CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
          tree_size bigint PRIMARY KEY, root bytea NOT NULL, origin text NOT NULL, note text NOT NULL,
          signed_at text NOT NULL);
      `);
      await client.query('SELECT pg_advisory_unlock($1)', [lockKey('migrate', s)]);
    } finally {
      client.release();
    }
    return new PostgresTreeStore(pool, s);
  }

  async head() {
    const { rows } = await this.pool.query<{ idx: number; position: number }>(
      `SELECT idx, position FROM ${this.s}.tree_leaves ORDER BY idx DESC LIMIT 1`,
    );
    return rows[0] ? { size: rows[0].idx + 1, lastPosition: rows[0].position } : { size: 0, lastPosition: 0 };
  }

  async extend(start: number, leaves: StoredLeaf[], nodes: TreeNode[]): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Builders in several processes take turns; the one that finds the tree moved on backs off.
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey('extend', this.s)]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT coalesce(max(idx) + 1, 0)::int8 AS n FROM ${this.s}.tree_leaves`,
      );
      if (rows[0].n !== start) {
        await client.query('ROLLBACK');
        return false;
      }
      await client.query(
        `INSERT INTO ${this.s}.tree_leaves (idx, position, hash)
         SELECT $1::int8 + o - 1, p, h FROM unnest($2::int8[], $3::bytea[]) WITH ORDINALITY AS u(p, h, o)`,
        [start, leaves.map((l) => l.position), leaves.map((l) => l.hash)],
      );
      const interior = nodes.filter((n) => n.level > 0);
      await client.query(
        `INSERT INTO ${this.s}.tree_nodes (level, idx, hash)
         SELECT * FROM unnest($1::int[], $2::int8[], $3::bytea[])`,
        [interior.map((n) => n.level), interior.map((n) => n.index), interior.map((n) => n.hash)],
      );
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async nodes(ids: NodeId[]): Promise<Map<string, Buffer>> {
    const leafIds = ids.filter((id) => id.level === 0).map((id) => id.index);
    const interior = ids.filter((id) => id.level > 0);
    // One round trip for a whole proof.
    const { rows } = await this.pool.query<{ level: number; idx: number; hash: Buffer }>(
      `SELECT 0 AS level, idx, hash FROM ${this.s}.tree_leaves WHERE idx = ANY($1::int8[])
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM ${this.s}.tree_nodes n
       JOIN unnest($2::int[], $3::int8[]) AS q(level, idx) ON n.level = q.level AND n.idx = q.idx`,
      [leafIds, interior.map((id) => id.level), interior.map((id) => id.index)],
    );
    return new Map(rows.map((r) => [nodeKey({ level: r.level, index: r.idx }), r.hash]));
  }

  async leafIndexOf(position: number) {
    const { rows } = await this.pool.query<{ idx: number }>(
      `SELECT idx FROM ${this.s}.tree_leaves WHERE position = $1`,
      [position],
    );
    return rows[0]?.idx;
  }

  async leaves(index: number, count: number): Promise<TreeLeaf[]> {
    const { rows } = await this.pool.query<TreeLeaf>(
      `SELECT idx AS "index", position, hash FROM ${this.s}.tree_leaves WHERE idx >= $1 ORDER BY idx LIMIT $2`,
      [index, count],
    );
    return rows;
  }

  async addCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.checkpoints (tree_size, root, origin, note, signed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tree_size) DO NOTHING`,
      [c.size, c.root, c.origin, c.note, c.signedAt],
    );
  }

  async checkpoint(size: number) {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.checkpoints WHERE tree_size = $1`, [
      size,
    ]);
    return rows[0] && toCheckpoint(rows[0]);
  }

  async latestCheckpoint() {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    return rows[0] && toCheckpoint(rows[0]);
  }

  async checkpoints(limit = Number.MAX_SAFE_INTEGER) {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.checkpoints ORDER BY tree_size DESC LIMIT $1`,
      [Math.min(limit, Number.MAX_SAFE_INTEGER)],
    );
    return rows.reverse().map(toCheckpoint);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function toCheckpoint(row: {
  tree_size: number;
  root: Buffer;
  origin: string;
  note: string;
  signed_at: string;
}) {
  return {
    origin: row.origin,
    size: Number(row.tree_size),
    root: row.root,
    note: row.note,
    signedAt: row.signed_at,
  };
}

function lockKey(purpose: string, schema: string): string {
  return createHash('sha256')
    .update(`ledger-integrity:${purpose}:${schema}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}
