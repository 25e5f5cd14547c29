import type { IsoDate } from '../../shared/dates';
import { checkNotFuture } from '../../shared/backfill';
import type { StreamEvent } from '../../shared/streams';
import { fieldRefusal } from '../../contributions/refusal';
import {
  statementStream,
  type StatementEvent,
  type StatementFigures,
  type StatementLine,
  type StatementSigner,
} from './statement.events';

/** Open differences a statement may freeze: a year of months, each with a few lines per invoice. */
export const MAX_STATEMENT_LINES = 2_000;

export interface SignStatement {
  type: 'SignStatement';
  statementId: string;
  programId: string;
  ownerRegion: string;
  payer: string | null;
  period: string;
  signedOn: IsoDate;
  today: IsoDate;
  signer: StatementSigner;
  counterparty: string | null;
  reason: string | null;
  figures: StatementFigures;
  lines: StatementLine[];
  readPosition: number;
}

/** The statement in force for the period, if any (the last one signed). */
export interface StatementState {
  current: { statementId: string; signedOn: IsoDate } | null;
}

export const initialStatementState = (): StatementState => ({ current: null });

export function evolveStatement(state: StatementState, event: StatementEvent): StatementState {
  if (event.type !== 'ReconciliationStatementSigned') return state;
  return { current: { statementId: event.data.statementId, signedOn: event.data.signedOn } };
}

/** The last day of a month (YYYY-MM) or a year (YYYY). */
export function periodEnd(period: string): IsoDate {
  if (/^\d{4}$/.test(period)) return `${period}-12-31`;
  const [y, m] = period.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${period}-${String(last).padStart(2, '0')}`;
}

/**
 * Signs a period off. A period not yet ended cannot be signed (its figures still move by
 * rule, not by mistake). A period already signed is refused (409) unless a reason is given:
 * then the new statement supersedes the one in force, which stays readable.
 */
export function decideSignStatement(
  command: SignStatement,
  state: StatementState,
): StreamEvent<StatementEvent>[] {
  checkNotFuture('signedOn', command.signedOn, command.today);
  if (command.signedOn <= periodEnd(command.period)) {
    throw fieldRefusal(
      'signedOn',
      'statement.period.notEnded',
      `Berita acara periode ${command.period} hanya dapat ditandatangani setelah ${periodEnd(command.period)}`,
    );
  }
  if (command.lines.length > MAX_STATEMENT_LINES) {
    throw fieldRefusal(
      'month',
      'statement.lines.max',
      `Periode ini memiliki lebih dari ${MAX_STATEMENT_LINES} selisih; tandatangani per bulan`,
    );
  }
  if (state.current && command.reason === null) {
    throw fieldRefusal(
      'reason',
      'statement.alreadySigned',
      `Periode ${command.period} sudah memiliki berita acara ${state.current.statementId} (${state.current.signedOn}); ` +
        'berita acara baru memerlukan alasan',
      'conflict',
      { statementId: state.current.statementId },
    );
  }
  return [
    {
      streamId: statementStream(command.programId, command.payer, command.period),
      event: {
        type: 'ReconciliationStatementSigned',
        data: {
          statementId: command.statementId,
          programId: command.programId,
          ownerRegion: command.ownerRegion,
          payer: command.payer,
          period: command.period,
          signedOn: command.signedOn,
          // Only the office is kept: whatever else a caller passed (a name) never reaches the log.
          signer: { position: command.signer.position },
          counterparty: command.counterparty,
          figures: command.figures,
          lines: command.lines,
          readPosition: command.readPosition,
          supersedes: state.current?.statementId ?? null,
          reason: state.current ? command.reason : null,
        },
      },
    },
  ];
}
