import type { ReadQuery } from '../read-schema';
import {
  RECONCILIATION_LABELS,
  type Reconciliation,
  type ReconciliationCode,
  type ReconciliationFigures,
  type ReconciliationLine,
} from './reconciliation.query';
import type { StatementRow, StoredStatementRow } from './statement.projection';

type Figure = keyof ReconciliationFigures;
const FIGURES: readonly Figure[] = ['roster', 'billed', 'disbursed'];

export interface StatementHeader {
  statementId: string;
  programId: string;
  ownerRegion: string;
  payer: string | null;
  period: string;
  signedOn: string;
  recordedAt: string;
  /** The account that signed and the office it signed in; the name is written by hand on paper. */
  signer: { account: string; position: string };
  /** The other party's office or institution. */
  counterparty: string | null;
  readPosition: number;
  supersedes: string | null;
  /** The statement that replaced this one, if any: this one is then no longer in force. */
  supersededBy: string | null;
  reason: string | null;
}

/** A figure or a difference line whose amount moved after the statement (setelah berita acara). */
export interface FigureChange {
  figure: Figure;
  frozen: number;
  current: number;
  difference: number;
}

export interface LineChange {
  code: string;
  month: string;
  invoiceId: string | null;
  sp2dNumbers: string[];
  /** null: the line did not exist at signing (a new difference) or no longer exists (settled). */
  frozen: number | null;
  current: number | null;
  difference: number;
}

export interface StatementView extends StatementHeader {
  frozen: ReconciliationFigures & { lines: ReconciliationLine[] };
  current: ReconciliationFigures & { lines: ReconciliationLine[] };
  /** Whether anything recorded after the statement changed its figures or its differences. */
  changedAfterStatement: boolean;
  figureChanges: FigureChange[];
  lineChanges: LineChange[];
}

function headerOf(row: StoredStatementRow, supersededBy: string | null): StatementHeader {
  return {
    statementId: row.statement_id,
    programId: row.program_id,
    ownerRegion: row.owner_region,
    payer: row.payer,
    period: row.period,
    signedOn: row.signed_on,
    recordedAt: row.recorded_at,
    signer: { account: row.signed_by, position: row.signer_position },
    counterparty: row.counterparty,
    readPosition: Number(row.read_position),
    supersedes: row.supersedes,
    supersededBy,
    reason: row.reason,
  };
}

/** One statement with what superseded it; null for an unknown id. */
export async function statementById(db: ReadQuery, statementId: string) {
  const row = await db
    .selectFrom('reconciliation_statements')
    .selectAll()
    .where('statement_id', '=', statementId)
    .executeTakeFirst();
  if (!row) return null;
  const next = await db
    .selectFrom('reconciliation_statements')
    .select('statement_id')
    .where('supersedes', '=', statementId)
    .executeTakeFirst();
  return {
    header: headerOf(row, next?.statement_id ?? null),
    figures: JSON.parse(row.figures) as StatementRow['figures'],
    // The event keeps the codes; their labels are the reader's.
    lines: (JSON.parse(row.lines) as Omit<ReconciliationLine, 'label'>[]).map((l) => ({
      ...l,
      label: RECONCILIATION_LABELS[l.code as ReconciliationCode] ?? l.code,
    })),
  };
}

/** A program's statements, latest first (bounded: a program signs a few a month at most). */
export async function statementsOf(
  db: ReadQuery,
  programId: string,
  limit = 500,
): Promise<StatementHeader[]> {
  const rows = await db
    .selectFrom('reconciliation_statements')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('position', 'desc')
    .limit(limit)
    .execute();
  const replacedBy = new Map(rows.filter((r) => r.supersedes).map((r) => [r.supersedes, r.statement_id]));
  return rows.map((row) => headerOf(row, replacedBy.get(row.statement_id) ?? null));
}

const lineKey = (l: { code: string; month: string; invoiceId: string | null; sp2dNumbers: string[] }) =>
  `${l.code}|${l.month}|${l.invoiceId ?? ''}|${l.sp2dNumbers.join(',')}`;

/**
 * The statement beside the reconciliation of now: every figure and every difference line
 * whose amount moved since signing is listed with both amounts, never folded in silently.
 */
export function compareStatement(
  found: NonNullable<Awaited<ReturnType<typeof statementById>>>,
  now: Reconciliation,
): StatementView {
  const figureChanges = FIGURES.filter((f) => found.figures[f] !== now[f]).map((figure) => ({
    figure,
    frozen: found.figures[figure],
    current: now[figure],
    difference: now[figure] - found.figures[figure],
  }));
  const frozenLines = new Map(found.lines.map((l) => [lineKey(l), l]));
  const currentLines = new Map(now.lines.map((l) => [lineKey(l), l]));
  const lineChanges: LineChange[] = [];
  for (const [key, line] of frozenLines) {
    const current = currentLines.get(key);
    if (current && current.amount === line.amount) continue;
    lineChanges.push({
      code: line.code,
      month: line.month,
      invoiceId: line.invoiceId,
      sp2dNumbers: line.sp2dNumbers,
      frozen: line.amount,
      current: current?.amount ?? null,
      difference: (current?.amount ?? 0) - line.amount,
    });
  }
  for (const [key, line] of currentLines) {
    if (frozenLines.has(key)) continue;
    lineChanges.push({
      code: line.code,
      month: line.month,
      invoiceId: line.invoiceId,
      sp2dNumbers: line.sp2dNumbers,
      frozen: null,
      current: line.amount,
      difference: line.amount,
    });
  }
  return {
    ...found.header,
    frozen: { ...found.figures, lines: found.lines },
    current: { roster: now.roster, billed: now.billed, disbursed: now.disbursed, lines: now.lines },
    changedAfterStatement: figureChanges.length > 0 || lineChanges.length > 0,
    figureChanges,
    lineChanges,
  };
}
