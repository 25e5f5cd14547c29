import { randomUUID } from 'node:crypto';
import { nikHmac } from '@ledger/crypto';
import { decideDeregistration } from '../../enrollment/deregister/deregister.decider';
import { enrollmentAppends, loadEnrollment, loadForDecision } from '../../enrollment/enrollment.load';
import { programCoverageEnd } from '../../enrollment/enrollment.state';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
} from '../../participants/participant.events';
import { openRegistrations } from '../../participants/registration';
import type { BackfillRequest } from '../../shared/backfill';
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
import { RuleViolation } from '../../shared/rule-violation';
import { streams } from '../../shared/streams';
import type { DeathReporter } from '../claim.events';
import { loadClaimGuard } from '../claim.load';
import { sealReporter } from '../heirs.deps';
import { decideDeathReport } from './report-death.decider';

export interface DeathReportRequest {
  dateOfDeath: IsoDate;
  reportedOn: IsoDate;
  reporter: DeathReporter;
  certificate: { number: string; issuedOn: IsoDate };
  /** For a death reported after the program's backfill tolerance (it ends the coverage then). */
  backfill?: BackfillRequest;
}

/** A person holds few enrollments; more than this in the registry is a damaged stream. */
const MAX_ENROLLMENTS = 100;

/**
 * The enrollment of the participant whose coverage runs on `day`, found through the NIK
 * registry (the person's enrollments in every program), loaded for a decision.
 */
async function coverageRunningOn(
  deps: LedgerDeps,
  ctx: CommandContext,
  participantId: string,
  nik: string,
  day: IsoDate,
) {
  const registry = await fold<NikRegistryState, NikRegistryEvent>(
    deps.store,
    streams.nik(nikHmac(deps.nikHmacKey, nik)),
    evolveNikRegistry,
    initialNikRegistry(),
  );
  for (const enrollmentId of [...registry.state.claims.keys()].slice(0, MAX_ENROLLMENTS)) {
    const { state } = await loadEnrollment(deps, enrollmentId);
    if (state.participantId !== participantId || state.status !== 'approved') continue;
    if (state.coverageFrom === null || state.coverageFrom > day) continue;
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    if (day <= programCoverageEnd(loaded.program)) return loaded;
  }
  return undefined;
}

/** POST /api/participants/:id/death */
export async function reportDeath(
  deps: LedgerDeps,
  ctx: CommandContext,
  participantId: string,
  request: DeathReportRequest,
) {
  return execute(deps, ctx, async () => {
    const opened = (await openRegistrations(deps, [participantId])).get(participantId);
    if (!opened) throw new RuleViolation('participant.notFound', 'Peserta tidak ditemukan', 'not_found');
    assertScope(ctx, opened.registration.villageCode);
    const key = (await deps.keys.getMany([participantId])).get(participantId);
    if (!opened.personal || !key) {
      throw new RuleViolation('participant.erased', 'Data pribadi peserta sudah dihapus', 'conflict');
    }
    const guard = await loadClaimGuard(deps, participantId);
    const running =
      request.dateOfDeath <= ctx.today
        ? await coverageRunningOn(deps, ctx, participantId, opened.personal.nik, request.dateOfDeath)
        : undefined;
    const reportId = randomUUID();
    const decided = decideDeathReport(
      {
        type: 'ReportDeath',
        reportId,
        participantId,
        villageCode: opened.registration.villageCode,
        dateOfDeath: request.dateOfDeath,
        reportedOn: request.reportedOn,
        reporter: request.reporter,
        certificate: request.certificate,
        birthDate: opened.personal.birthDate,
        today: ctx.today,
        seal: (reporter) => sealReporter(key, participantId, reporter),
        coverage: running && {
          enrollmentId: running.state.enrollmentId,
          programId: running.state.programId,
          deregistration: () =>
            decideDeregistration(
              {
                type: 'DeregisterEnrollment',
                reason: 'deceased',
                note: null,
                effectiveDate: request.dateOfDeath,
                today: ctx.today,
                role: ctx.actor.role,
                backfill: request.backfill,
                program: running.program,
                seats: running.seats,
              },
              running.state,
            ),
        },
      },
      guard.state,
    );
    const guardStream = streams.claimGuard(participantId);
    const guardPart = appendsOf(
      decided.filter((d) => d.streamId === guardStream),
      () => expectedFor(guard.revision),
      () => metadata(ctx),
    );
    // The deregistration's streams at the revisions its own loader read.
    const enrollmentPart = running
      ? enrollmentAppends(
          ctx,
          running,
          decided.filter((d) => d.streamId !== guardStream),
        )
      : [];
    return {
      appends: [...guardPart, ...enrollmentPart],
      result: {
        reportId,
        participantId,
        dateOfDeath: request.dateOfDeath,
        enrollmentId: running?.state.enrollmentId ?? null,
        coverageEnded: enrollmentPart.length > 0,
      },
    };
  });
}
