import type { ExistingProgram } from '../../../programs/program.state';
import type { IsoDate } from '../../../shared/dates';
import { RuleViolation } from '../../../shared/rule-violation';
import { streams, type StreamEvent } from '../../../shared/streams';
import type { BackfillMarker, BackfillRequest } from '../../../shared/backfill';
import type { NikRegistryEvent } from '../../../participants/participant.events';
import {
  approval,
  approvalBackfill,
  checkInPeriod,
  coverageApproved,
  seatsCovered,
} from '../../approve/approve.decider';
import type { EnrollmentEvent, SeatsEvent } from '../../enrollment.events';
import { evolveEnrollment, initialEnrollmentState, type EnrollmentState } from '../../enrollment.state';
import { checkQuotaOverTime, type Seats } from '../../released-seats';

export interface ApproveImportedEnrollments {
  type: 'ApproveImportedEnrollments';
  /** The enrollments of this chunk, in the import's order. */
  enrollmentIds: string[];
  coverageFrom: IsoDate;
  /** Effective day of the decision; default today. */
  approvedOn?: IsoDate;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  /** By participant: opened from their sealed data; null once erased. */
  birthDates: Map<string, IsoDate | null>;
  /** The programs of the enrollments still proposed, with their seats. */
  programs: Map<string, { program: ExistingProgram; seats: Seats }>;
}

/** The enrollments of a chunk, by id. */
export type ImportedEnrollments = Map<string, EnrollmentState>;

export const initialImportedEnrollments = (): ImportedEnrollments => new Map();

export function evolveImportedEnrollments(
  state: ImportedEnrollments,
  event: EnrollmentEvent,
): ImportedEnrollments {
  const next = new Map(state);
  const id = event.data.enrollmentId;
  next.set(id, evolveEnrollment(next.get(id) ?? initialEnrollmentState(), event));
  return next;
}

export interface ImportApprovalDecision {
  events: StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[];
  /** Rows this chunk cannot approve (age cap at the chosen start, erased participant). */
  refused: { enrollmentId: string; rule: string; message: string }[];
}

/**
 * Approves every enrollment of the chunk that is still proposed. A refusal is reported for
 * its row and does not stop the others; each program's seats are then held by coverage.
 */
export function decideImportApproval(
  command: ApproveImportedEnrollments,
  state: ImportedEnrollments,
): ImportApprovalDecision {
  const pending = command.enrollmentIds
    .map((id) => state.get(id))
    .filter((s): s is EnrollmentState => s?.status === 'proposed');
  const events: ImportApprovalDecision['events'] = [];
  const refused: ImportApprovalDecision['refused'] = [];
  const approved = new Map<string, string[]>();
  // Whether this is a backfill, and whether it may be, is the command's to answer, not a row's:
  // a refusal stops the whole approval before anything is written.
  const markers = new Map<string, BackfillMarker | undefined>();
  for (const [programId, { program, seats }] of command.programs) {
    const { coverageFrom, approvedOn, today, role, backfill } = command;
    // One start for the whole list: outside the period it fails every row, so it fails the
    // command; so does the quota on the days it runs (the same count for every row).
    checkInPeriod(coverageFrom, program);
    checkQuotaOverTime(program.terms.quota, seats, coverageFrom);
    markers.set(programId, approvalBackfill({ coverageFrom, approvedOn, today, role, backfill, program }));
  }
  for (const enrollment of pending) {
    const { program } = command.programs.get(enrollment.programId)!;
    try {
      const event = approval(
        {
          type: 'ApproveEnrollment',
          coverageFrom: command.coverageFrom,
          approvedOn: command.approvedOn,
          today: command.today,
          role: command.role,
          birthDate: command.birthDates.get(enrollment.participantId) ?? null,
          program,
        },
        enrollment,
        markers.get(enrollment.programId),
      );
      events.push(
        { streamId: streams.enrollment(enrollment.enrollmentId), event },
        coverageApproved(enrollment, command.coverageFrom),
      );
      approved.set(enrollment.programId, [
        ...(approved.get(enrollment.programId) ?? []),
        enrollment.enrollmentId,
      ]);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      refused.push({ enrollmentId: enrollment.enrollmentId, rule: error.rule, message: error.message });
    }
  }
  for (const [programId, { seats }] of command.programs) {
    const ids = approved.get(programId);
    if (ids) events.push(seatsCovered(programId, ids, seats));
  }
  return { events, refused };
}
