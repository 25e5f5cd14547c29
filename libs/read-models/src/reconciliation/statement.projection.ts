import type { StatementEvent } from '@ledger/ledger/treasury/sign-statement/statement.events';
import type { Columns } from '../columns';
import type { RowProjection } from '../runner/projection';

/**
 * One row per reconciliation statement, as signed: the frozen figures and lines stay as the
 * event holds them, and what changed since is computed when read against the reconciliation
 * of now. A statement superseded by a later one stays, and the later one names it.
 */
export interface StatementRow extends Record<string, unknown> {
  statement_id: string;
  program_id: string;
  owner_region: string;
  payer: string | null;
  period: string;
  signed_on: string;
  /** When the ledger recorded the signature (the event's metadata). */
  recorded_at: string;
  /** The account that signed (the event's metadata actor); no person's name is kept. */
  signed_by: string;
  signer_position: string;
  counterparty: string | null;
  figures: StatementEvent['data']['figures'];
  lines: StatementEvent['data']['lines'];
  read_position: number;
  /** The statement's own log position. */
  position: number;
  supersedes: string | null;
  reason: string | null;
}

export type StoredStatementRow = Omit<Columns<StatementRow>, 'figures' | 'lines'> & {
  figures: string;
  lines: string;
};

export const statementsProjection: RowProjection<StatementRow> = {
  kind: 'rows',
  name: 'reconciliation_statements',
  // 2: the signer's name gave way to the account that signed.
  version: 2,
  handles: ['ReconciliationStatementSigned'],
  table: {
    name: 'reconciliation_statements',
    columns: {
      statement_id: { type: 'text' },
      program_id: { type: 'text' },
      owner_region: { type: 'text' },
      payer: { type: 'text', nullable: true },
      period: { type: 'text' },
      signed_on: { type: 'text' },
      recorded_at: { type: 'text' },
      signed_by: { type: 'text' },
      signer_position: { type: 'text' },
      counterparty: { type: 'text', nullable: true },
      figures: { type: 'json' },
      lines: { type: 'json' },
      read_position: { type: 'integer' },
      position: { type: 'integer' },
      supersedes: { type: 'text', nullable: true },
      reason: { type: 'text', nullable: true },
    },
    primaryKey: ['statement_id'],
    indexes: [['program_id', 'period']],
  },
  keyOf: (event) =>
    event.type === 'ReconciliationStatementSigned'
      ? (event.data as StatementEvent['data']).statementId
      : null,
  evolve(_row, recorded) {
    if (recorded.type !== 'ReconciliationStatementSigned') return null;
    const d = recorded.data as StatementEvent['data'];
    return {
      statement_id: d.statementId,
      program_id: d.programId,
      owner_region: d.ownerRegion,
      payer: d.payer,
      period: d.period,
      signed_on: d.signedOn,
      recorded_at: recorded.metadata.occurredAt,
      signed_by: recorded.metadata.actor?.id ?? 'system',
      signer_position: d.signer.position,
      counterparty: d.counterparty,
      figures: d.figures,
      lines: d.lines,
      read_position: d.readPosition,
      position: recorded.position,
      supersedes: d.supersedes,
      reason: d.reason,
    };
  },
};
