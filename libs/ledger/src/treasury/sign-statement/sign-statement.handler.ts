import {
  appendsOf,
  assertScope,
  execute,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { uuidv7 } from '../../shared/ids';
import { loadTreasuryProgram } from '../treasury.load';
import {
  decideSignStatement,
  evolveStatement,
  initialStatementState,
  type StatementState,
} from './sign-statement.decider';
import {
  statementStream,
  type StatementEvent,
  type StatementFigures,
  type StatementLine,
  type StatementSigner,
} from './statement.events';

export interface SignStatementRequest {
  payer: string | null;
  period: string;
  signedOn?: IsoDate;
  signer: StatementSigner;
  counterparty?: string | null;
  reason?: string | null;
  /** The reconciliation as read by the caller at `readPosition`: what the statement freezes. */
  figures: StatementFigures;
  lines: StatementLine[];
  readPosition: number;
}

/** POST /api/reconciliation/statements */
export async function signStatement(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: SignStatementRequest,
) {
  const statementId = uuidv7();
  return execute(deps, ctx, async () => {
    const { regionCode } = await loadTreasuryProgram(deps, programId);
    assertScope(ctx, regionCode);
    const stream = statementStream(programId, request.payer, request.period);
    const { state, revision } = await fold<StatementState, StatementEvent>(
      deps.store,
      stream,
      evolveStatement,
      initialStatementState(),
    );
    const decided = decideSignStatement(
      {
        type: 'SignStatement',
        statementId,
        programId,
        ownerRegion: regionCode,
        payer: request.payer,
        period: request.period,
        signedOn: request.signedOn ?? ctx.today,
        today: ctx.today,
        signer: { position: request.signer.position.trim() },
        counterparty: request.counterparty?.trim() || null,
        reason: request.reason?.trim() || null,
        figures: request.figures,
        lines: request.lines,
        readPosition: request.readPosition,
      },
      state,
    );
    const { data } = decided[0].event;
    return {
      appends: appendsOf(
        decided,
        () => expectedFor(revision),
        () => metadata(ctx),
      ),
      result: { statementId, programId, period: request.period, supersedes: data.supersedes },
    };
  });
}
