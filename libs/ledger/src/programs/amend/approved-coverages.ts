import type { LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import type { EnrollmentEvent } from '../../enrollment/enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../../enrollment/enrollment.state';

/** Enrollment streams read at once: enough to keep PostgreSQL busy, few enough to stay polite. */
const READ_AT_ONCE = 64;

/**
 * The first covered day of every coverage the program approved, running or ended, as they
 * stood at the seats stream's `seatsRevision`. Every approval, correction and deregistration
 * appends to the seats stream, and the amendment appends there at `seatsRevision`: a coverage
 * approved or moved after these reads makes the amendment conflict and decide again, so the
 * starts it checks are the ones it commits against.
 */
export async function approvedCoverageStarts(
  deps: Pick<LedgerDeps, 'store'>,
  programId: string,
  seatsRevision: number,
): Promise<IsoDate[]> {
  if (seatsRevision < 0) return [];
  // Only approvals hold a seat by coverage, so the seats stream lists every enrollment that has one.
  const covered = new Set<string>();
  const seatEvents = await deps.store.readStream(streams.seats(programId), { maxCount: seatsRevision + 1 });
  for (const e of seatEvents) {
    if (e.type !== 'SeatsCovered') continue;
    for (const id of (e.data as { enrollmentIds: string[] }).enrollmentIds) covered.add(id);
  }
  const ids = [...covered];
  const starts: IsoDate[] = [];
  for (let i = 0; i < ids.length; i += READ_AT_ONCE) {
    const read = await Promise.all(
      ids.slice(i, i + READ_AT_ONCE).map((id) => deps.store.readStream(streams.enrollment(id))),
    );
    for (const events of read) {
      const state = (events as unknown as EnrollmentEvent[]).reduce(
        evolveEnrollment,
        initialEnrollmentState(),
      );
      if ((state.status === 'approved' || state.status === 'deregistered') && state.coverageFrom)
        starts.push(state.coverageFrom);
    }
  }
  return starts;
}
