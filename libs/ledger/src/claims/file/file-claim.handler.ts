import { randomUUID } from 'node:crypto';
import { loadDues, nonWorkingDaysFor } from '../../contributions/dues.load';
import { currentInvoice, isLinePaid } from '../../contributions/dues.state';
import { graceEndOf, monthOf } from '../../contributions/obligation';
import { decideDeregistration } from '../../enrollment/deregister/deregister.decider';
import { enrollmentAppends, loadForDecision } from '../../enrollment/enrollment.load';
import { programCoverageEnd, type EnrollmentState } from '../../enrollment/enrollment.state';
import { jkkReportingWindowOf, type ExistingProgram } from '../../programs/program.state';
import { openRegistrations } from '../../participants/registration';
import type { BackfillRequest } from '../../shared/backfill';
import {
  appendsOf,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { RuleViolation } from '../../shared/rule-violation';
import { streams } from '../../shared/streams';
import type { ClaimBenefit, ClaimDocument, ClaimKind, Heir } from '../claim.events';
import { loadClaimGuard } from '../claim.load';
import { fieldViolation } from '../claim.state';
import { sealHeirs } from '../heirs.deps';
import { decideFiling } from './file-claim.decider';

export interface FileClaimRequest {
  enrollmentId: string;
  kind: ClaimKind;
  benefit: ClaimBenefit;
  eventDate: string;
  reportedOn: string;
  heirs: Heir[];
  documents: ClaimDocument[];
  /** For a death reported after the program's backfill tolerance (it ends the coverage then). */
  backfill?: BackfillRequest;
}

/** Covered days of an enrollment: approved runs to the program's last day, deregistered to its own. */
function coverageOf(state: EnrollmentState, program: ExistingProgram) {
  if (state.coverageFrom === null) return null;
  if (state.status === 'approved') return { from: state.coverageFrom, to: programCoverageEnd(program) };
  if (state.status === 'deregistered' && state.endedOn !== null)
    return { from: state.coverageFrom, to: state.endedOn };
  return null;
}

/** POST /api/participants/:id/claims */
export async function fileClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  participantId: string,
  request: FileClaimRequest,
) {
  return execute(deps, ctx, async () => {
    const opened = (await openRegistrations(deps, [participantId])).get(participantId);
    if (!opened) throw new RuleViolation('participant.notFound', 'Peserta tidak ditemukan', 'not_found');
    const key = (await deps.keys.getMany([participantId])).get(participantId);
    if (!opened.personal || !key) {
      throw new RuleViolation('participant.erased', 'Data pribadi peserta sudah dihapus', 'conflict');
    }
    const loaded = await loadForDecision(deps, ctx, request.enrollmentId);
    if (loaded.state.participantId !== participantId) {
      throw fieldViolation(
        'enrollmentId',
        'claim.enrollment',
        'Kepesertaan ini bukan milik peserta tersebut',
      );
    }
    const month = monthOf(request.eventDate);
    const dues = await loadDues(deps, loaded.state.programId, month);
    const invoice = currentInvoice(dues.state);
    const line = invoice ? invoice.lines.indexOf(request.enrollmentId) : -1;
    const graceEnd = graceEndOf(month, await nonWorkingDaysFor(deps, month));
    const guard = await loadClaimGuard(deps, participantId);
    const claimId = randomUUID();
    const { program, state } = loaded;
    const decided = decideFiling(
      {
        type: 'FileClaim',
        claimId,
        participantId,
        enrollmentId: request.enrollmentId,
        programId: state.programId,
        ownerRegion: program.terms.ownerRegion,
        villageCode: state.villageCode,
        kind: request.kind,
        benefit: request.benefit,
        eventDate: request.eventDate,
        reportedOn: request.reportedOn,
        heirs: request.heirs,
        documents: request.documents,
        declaredIncome: program.terms.declaredIncome,
        birthDate: opened.personal.birthDate,
        today: ctx.today,
        facts: {
          coverage: coverageOf(state, program),
          contribution: { paid: invoice !== null && line >= 0 && isLinePaid(invoice, line), graceEnd },
          reportingWindowDays: jkkReportingWindowOf(program.terms),
        },
        // Heirs are the participant's specific personal data: erasing the person erases them.
        seal: (heirs) => sealHeirs(key, claimId, heirs),
        deregistration:
          state.status === 'approved'
            ? () =>
                decideDeregistration(
                  {
                    type: 'DeregisterEnrollment',
                    reason: 'deceased',
                    note: null,
                    effectiveDate: request.eventDate,
                    today: ctx.today,
                    role: ctx.actor.role,
                    backfill: request.backfill,
                    program,
                    seats: loaded.seats,
                  },
                  state,
                )
            : undefined,
      },
      guard.state,
    );
    const duesStream = streams.dues(state.programId, month);
    const claimStreams = new Set([streams.claim(claimId), streams.claimGuard(participantId), duesStream]);
    const revisions = new Map<string, 'no_stream' | number>([
      [streams.claim(claimId), 'no_stream' as const],
      [streams.claimGuard(participantId), expectedFor(guard.revision)],
      // The invoice the contribution rule read: a payment since then makes this append conflict.
      [duesStream, expectedFor(dues.revision)],
    ]);
    const claimPart = appendsOf(
      decided.filter((d) => claimStreams.has(d.streamId)),
      (streamId) => revisions.get(streamId)!,
      () => metadata(ctx),
    );
    // The deregistration's streams at the revisions its own loader read.
    const enrollmentPart = enrollmentAppends(
      ctx,
      loaded,
      decided.filter((d) => !claimStreams.has(d.streamId)),
    );
    const filed = decided[0].event.data as { eligible: boolean; reasons: string[] };
    return {
      appends: [...claimPart, ...enrollmentPart],
      result: {
        claimId,
        status: 'filed' as const,
        eligible: filed.eligible,
        reasons: filed.reasons,
        coverageEnded: enrollmentPart.length > 0,
      },
    };
  });
}
