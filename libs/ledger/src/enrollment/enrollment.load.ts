import { loadExistingProgram, loadSeatsUnder } from '../programs/program.load';
import {
  appendsOf,
  assertScope,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams, type StreamEvent } from '../shared/streams';
import type { EnrollmentEvent } from './enrollment.events';
import {
  evolveEnrollment,
  initialEnrollmentState,
  type EnrollmentState,
  type EnrollmentStreamEvent,
} from './enrollment.state';

export async function loadEnrollment(deps: Pick<LedgerDeps, 'store'>, enrollmentId: string) {
  const loaded = await fold<EnrollmentState, EnrollmentStreamEvent>(
    deps.store,
    streams.enrollment(enrollmentId),
    evolveEnrollment,
    initialEnrollmentState(),
  );
  if (loaded.state.status === 'none')
    throw new RuleViolation('enrollment.notFound', 'Pendaftaran tidak ditemukan', 'not_found');
  return loaded;
}

/**
 * What a decision on one enrollment starts from: the enrollment, its program (in the caller's
 * scope) and the program's seats. Every outcome depends on the program's terms (open, period),
 * so every one appends to the seats stream.
 */
export async function loadForDecision(deps: LedgerDeps, ctx: CommandContext, enrollmentId: string) {
  const { state, revision } = await loadEnrollment(deps, enrollmentId);
  const { program, revision: termsRevision } = await loadExistingProgram(deps, state.programId);
  assertScope(ctx, program.terms.ownerRegion);
  const seats = await loadSeatsUnder(deps, state.programId, termsRevision);
  return { state, revision, program, seats };
}

/** The appends of a decision on one enrollment, at the revisions `loadForDecision` read. */
export function enrollmentAppends(
  ctx: CommandContext,
  loaded: { state: EnrollmentState; revision: number; seats: { revision: number } },
  decided: StreamEvent[],
) {
  const { state, revision, seats } = loaded;
  const expected = (streamId: string) =>
    streamId === streams.enrollment(state.enrollmentId)
      ? revision
      : streamId === streams.seats(state.programId)
        ? expectedFor(seats.revision)
        : ('exists' as const);
  return appendsOf(decided, expected, () => metadata(ctx));
}

/** The answer of a decision on one enrollment: its status after the decision. */
export function statusAfter(state: EnrollmentState, decided: StreamEvent[]) {
  const own = decided.find((d) => d.streamId === streams.enrollment(state.enrollmentId));
  return {
    enrollmentId: state.enrollmentId,
    status: own ? evolveEnrollment(state, own.event as EnrollmentEvent).status : state.status,
  };
}
