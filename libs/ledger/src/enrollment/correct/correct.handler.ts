import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
} from '../../participants/participant.events';
import { loadProgram } from '../../programs/program.load';
import { birthDates } from '../../participants/registration';
import {
  appendsOf,
  execute,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import type { EnrollmentEvent } from '../enrollment.events';
import { loadForDecision, statusAfter } from '../enrollment.load';
import { evolveEnrollment, initialEnrollmentState, programCoverageEnd } from '../enrollment.state';
import { decideCorrection, type CorrectEnrollment, type OtherCoverage } from './correct.decider';

/** POST /api/enrollments/:id/correction */
export async function correctEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  request: Pick<CorrectEnrollment, 'coverageFrom' | 'endedOn' | 'reason' | 'note'>,
) {
  return execute(deps, ctx, async () => {
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    const { state, program, seats, revision } = loaded;
    const registry = await fold<NikRegistryState, NikRegistryEvent>(
      deps.store,
      streams.nik(state.nikKey),
      evolveNikRegistry,
      initialNikRegistry(),
    );
    const others = await otherCoverages(deps, ctx, registry.state, enrollmentId);
    const birthDate = (await birthDates(deps, [state.participantId])).get(state.participantId) ?? null;
    const decided = decideCorrection(
      {
        type: 'CorrectEnrollment',
        ...request,
        today: ctx.today,
        role: ctx.actor.role,
        birthDate,
        program,
        seats,
        others,
      },
      state,
    );
    // Every stream at the revision read: a concurrent decision on the seats or the NIK decides again.
    const expected = (streamId: string) =>
      streamId === streams.enrollment(enrollmentId)
        ? revision
        : streamId === streams.seats(state.programId)
          ? expectedFor(seats.revision)
          : streamId === streams.nik(state.nikKey)
            ? expectedFor(registry.revision)
            : ('exists' as const);
    return {
      appends: appendsOf(decided, expected, () => metadata(ctx)),
      result: statusAfter(state, decided),
    };
  });
}

/**
 * The NIK's other coverages with their periods: an ended one as the registry keeps it; an
 * approved one from its start to its last day, or to the program's last covered day while it
 * runs; a proposal over its program's whole period. A proposal's approval may still choose any
 * start after the coverages it was proposed against, and it does not read the registry again:
 * counting the whole period keeps a widened coverage clear of whatever start the approval picks,
 * also when the two run at once. An approved start changes only by a correction, which appends
 * to the registry stream, so a correction that read it conflicts with one that changed it.
 */
async function otherCoverages(
  deps: LedgerDeps,
  ctx: CommandContext,
  registry: NikRegistryState,
  enrollmentId: string,
): Promise<OtherCoverage[]> {
  const programs = new Map<string, Awaited<ReturnType<typeof loadProgram>>['state']>();
  const programOf = async (programId: string) => {
    if (!programs.has(programId)) programs.set(programId, (await loadProgram(deps, programId)).state);
    return programs.get(programId)!;
  };
  const others: OtherCoverage[] = [];
  const add = async (id: string, programId: string, from: string | null, to: string | null) => {
    const other = await programOf(programId);
    if (other.status === 'none') return;
    others.push({
      enrollmentId: id,
      programId,
      programName: other.terms.name,
      from: from ?? other.terms.period.from,
      to: to ?? programCoverageEnd(other),
      visible: !ctx.reaches || ctx.reaches(other.terms.ownerRegion),
    });
  };
  for (const [id, ended] of registry.ended) {
    if (id !== enrollmentId) await add(id, ended.programId, ended.from, ended.to);
  }
  for (const [id, claim] of registry.claims) {
    if (id === enrollmentId) continue;
    const events = await deps.store.readStream(streams.enrollment(id));
    let enrollment = initialEnrollmentState();
    for (const event of events as unknown as EnrollmentEvent[])
      enrollment = evolveEnrollment(enrollment, event);
    if (enrollment.status === 'proposed') await add(id, claim.programId, null, null);
    else if (enrollment.status === 'approved')
      await add(id, claim.programId, enrollment.coverageFrom, enrollment.endedOn);
  }
  return others;
}
