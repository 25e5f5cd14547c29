import Database from 'better-sqlite3';
import type { StoredLeaf } from '@ledger/event-store';
import type { SignedCheckpoint } from './checkpoint';
import { nodeKey, type NodeId } from './merkle';

/** A leaf of the tree: its index (the i-th event of the log) and the event's position. */
export interface TreeLeaf extends StoredLeaf {
  index: number;
}

export interface StoredCheckpoint extends SignedCheckpoint {
  signedAt: string;
}

export interface TreeNode extends NodeId {
  hash: Buffer;
}

/**
 * Where the tree lives: its leaves (index ↔ log position, since positions may have gaps), the
 * complete interior nodes, and the checkpoints signed over it. Nodes are written once, when the
 * leaf that completes them arrives, and never recomputed; any root or proof is a fold of at most
 * 2·log2(n) of them.
 */
export interface TreeStore {
  /** Leaves in the tree and the log position of the last (0 for an empty tree). */
  head(): Promise<{ size: number; lastPosition: number }>;
  /**
   * Adds leaves `start`, `start + 1`, … and the nodes they complete, in one transaction. Answers
   * false and writes nothing when the tree no longer holds `start` leaves: another process
   * extended it first, and the caller resumes from the stored tree.
   */
  extend(start: number, leaves: StoredLeaf[], nodes: TreeNode[]): Promise<boolean>;
  /** The stored hashes of these nodes (level 0: leaves), by `nodeKey`. */
  nodes(ids: NodeId[]): Promise<Map<string, Buffer>>;
  leafIndexOf(position: number): Promise<number | undefined>;
  /** Leaves in index order from `index`. */
  leaves(index: number, count: number): Promise<TreeLeaf[]>;
  addCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  checkpoint(size: number): Promise<StoredCheckpoint | undefined>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /** Checkpoints by increasing size, the largest `limit`. */
  checkpoints(limit?: number): Promise<StoredCheckpoint[]>;
  close(): Promise<void>;
}

const SQLITE_TREE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS tree_leaves (
    idx      INTEGER PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    hash     BLOB    NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tree_nodes (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB    NOT NULL,
    PRIMARY KEY (level, idx)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size INTEGER PRIMARY KEY,
    root      BLOB    NOT NULL,
    origin    TEXT    NOT NULL,
    note      TEXT    NOT NULL,
    signed_at TEXT    NOT NULL
  );
`;

interface CheckpointRow {
  tree_size: number;
  root: Buffer;
  origin: string;
  note: string;
  signed_at: string;
}

const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  origin: row.origin,
  size: Number(row.tree_size),
  root: row.root,
  note: row.note,
  signedAt: row.signed_at,
});

/**
 * The embedded mode's tree, in a file of its own beside the event log (`integrity.db`): the
 * builder's writes never take the log's write lock, so appends never wait for the tree.
 */
export class SqliteTreeStore implements TreeStore {
  private readonly db: Database.Database;
  /** Statements prepared once: preparing costs more than the lookups a proof makes. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 30000');
    // The tree can always be rebuilt from the log's leaf hashes; checkpoints also go to a plain file.
    this.db.pragma('synchronous = NORMAL');
    // A proof reads up to 2·log2(n) nodes scattered over the file: 64 MB keeps the upper levels
    // and the recent leaves of a national-scale tree resident.
    this.db.pragma('cache_size = -65536');
    // …and the rest of the file mapped: a node outside that cache is a page fault served from the
    // OS's cache, not a read() call per page, which is what the slowest proofs waited on.
    this.db.pragma('mmap_size = 1073741824');
    this.db.exec(SQLITE_TREE_SCHEMA);
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async head() {
    const row = this.prepared('SELECT idx, position FROM tree_leaves ORDER BY idx DESC LIMIT 1').get() as
      { idx: number; position: number } | undefined;
    return row ? { size: row.idx + 1, lastPosition: row.position } : { size: 0, lastPosition: 0 };
  }

  async extend(start: number, leaves: StoredLeaf[], nodes: TreeNode[]): Promise<boolean> {
    const insertLeaf = this.db.prepare('INSERT INTO tree_leaves (idx, position, hash) VALUES (?, ?, ?)');
    const insertNode = this.db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
    return this.db
      .transaction(() => {
        const size = (
          this.db.prepare('SELECT coalesce(max(idx) + 1, 0) AS n FROM tree_leaves').get() as { n: number }
        ).n;
        if (size !== start) return false;
        leaves.forEach((leaf, i) => insertLeaf.run(start + i, leaf.position, leaf.hash));
        for (const node of nodes) if (node.level > 0) insertNode.run(node.level, node.index, node.hash);
        return true;
      })
      .immediate();
  }

  /**
   * All the nodes in one statement (a proof's 2·log2(n) lookups, the leaves and the interior
   * nodes by their keys from one JSON parameter): one call into SQLite instead of one per node.
   */
  async nodes(ids: NodeId[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (ids.length === 0) return found;
    const rows = this.prepared(
      `WITH wanted(level, idx) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
       SELECT 0 AS level, l.idx, l.hash FROM wanted w JOIN tree_leaves l ON w.level = 0 AND l.idx = w.idx
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM wanted w JOIN tree_nodes n ON w.level > 0 AND n.level = w.level AND n.idx = w.idx`,
    )
      .raw()
      .all(JSON.stringify(ids.map((id) => [id.level, id.index]))) as [number, number, Buffer][];
    for (const [level, index, hash] of rows) found.set(nodeKey({ level, index }), hash);
    return found;
  }

  async leafIndexOf(position: number) {
    return this.prepared('SELECT idx FROM tree_leaves WHERE position = ?').pluck().get(position) as
      number | undefined;
  }

  async leaves(index: number, count: number): Promise<TreeLeaf[]> {
    return this.db
      .prepare('SELECT idx AS "index", position, hash FROM tree_leaves WHERE idx >= ? ORDER BY idx LIMIT ?')
      .all(index, count) as TreeLeaf[];
  }

  async addCheckpoint(c: StoredCheckpoint): Promise<void> {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO checkpoints (tree_size, root, origin, note, signed_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(c.size, c.root, c.origin, c.note, c.signedAt);
  }

  async checkpoint(size: number) {
    const row = this.prepared('SELECT * FROM checkpoints WHERE tree_size = ?').get(size) as
      CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }

  async latestCheckpoint() {
    const row = this.prepared('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1').get() as
      CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }

  async checkpoints(limit = Number.MAX_SAFE_INTEGER) {
    const rows = this.db
      .prepare('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT ?')
      .all(Math.min(limit, Number.MAX_SAFE_INTEGER)) as CheckpointRow[];
    return rows.reverse().map(toCheckpoint);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
