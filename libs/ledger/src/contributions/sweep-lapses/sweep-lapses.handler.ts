import {
  execute,
  assertScope,
  appendsOf,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { minDate, type IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import { loadExistingProgram, loadSeatsUnder } from '../../programs/program.load';
import {
  evolveEnrollment,
  initialEnrollmentState,
  programCoverageEnd,
  type EnrollmentState,
  type EnrollmentStreamEvent,
} from '../../enrollment/enrollment.state';
import { loadDues, nonWorkingDaysFor } from '../dues.load';
import { currentInvoice, lineStatuses } from '../dues.state';
import {
  addMonths,
  dueDateOf,
  GRACE_MONTHS,
  graceEndOf,
  monthOf,
  monthsBetween,
  DEFAULT_MONTH_RULE,
  type YearMonth,
} from '../obligation';
import type { RosterSource } from '../issue-invoice/issue-invoice.handler';
import { checkAsOf, decideSweep, invoiceAsOf, type Lapse, type SweptMonth } from './sweep-lapses.decider';

/** Issues the ledger's invoice of a month that has none yet (the issue-invoice use case, as the system). */
export type IssueMissingInvoice = (programId: string, month: YearMonth) => Promise<unknown>;

export interface SweepResult {
  programId: string;
  asOf: IsoDate;
  /** Months whose invoice the sweep issued first. */
  issued: YearMonth[];
  lapses: Lapse[];
}

/** Enrollment streams read at once (bounded concurrency over the candidates). */
const READ_CONCURRENCY = 32;

/** The program's months whose due date passed before `asOf`, within its period. */
export async function pastDueMonths(deps: LedgerDeps, from: IsoDate, end: IsoDate, asOf: IsoDate) {
  const last = monthOf(minDate(end, asOf));
  const months: { month: YearMonth; dueDate: IsoDate; graceEnd: IsoDate }[] = [];
  if (monthOf(from) > last) return months;
  for (const month of monthsBetween(monthOf(from), last)) {
    const days = await nonWorkingDaysFor(deps, month);
    const dueDate = dueDateOf(month, days);
    if (dueDate >= asOf) break;
    // The grace ends on a due date three months on, perhaps in the next year's calendar.
    const graceDays = await nonWorkingDaysFor(deps, addMonths(month, GRACE_MONTHS));
    months.push({ month, dueDate, graceEnd: graceEndOf(month, graceDays) });
  }
  return months;
}

/**
 * `contributions sweep`: decides the lapses of one program on `asOf` (the command's own now).
 * Months past due without an invoice get theirs first (`issueMissing`, each its own command:
 * the same month issued twice is the same invoice). Then one decision reads the program, its
 * seats, the dues streams of the past-due months, who owes each of them (`roster`: coverages
 * approved after a month was frozen owe it too) and only the enrollment streams of the
 * coverages unpaid in enough months, and appends every lapse with the
 * revisions it read: a payment or another sweep in between makes it decide again.
 */
export async function sweepLapses(
  deps: LedgerDeps,
  ctx: CommandContext,
  command: { programId: string; asOf: IsoDate },
  roster: RosterSource,
  issueMissing?: IssueMissingInvoice,
) {
  checkAsOf(command.asOf);
  const { programId, asOf } = command;
  const first = await loadExistingProgram(deps, programId);
  assertScope(ctx, first.program.terms.ownerRegion);
  const issued: YearMonth[] = [];
  // The dues read to find the missing months serve the first decision too: it appends at the
  // revisions they were read at, so a month that moved since makes it decide again on fresh reads.
  let read = new Map<YearMonth, Awaited<ReturnType<typeof loadDues>>>();
  if (issueMissing) {
    const months = await pastDueMonths(
      deps,
      first.program.terms.period.from,
      programCoverageEnd(first.program),
      asOf,
    );
    for (const { month } of months) {
      const dues = await loadDues(deps, programId, month);
      if (currentInvoice(dues.state)) {
        read.set(month, dues);
        continue;
      }
      await issueMissing(programId, month);
      issued.push(month);
    }
  }
  return execute<SweepResult>(deps, ctx, async () => {
    const { program, revision: termsRevision } = await loadExistingProgram(deps, programId);
    const seats = await loadSeatsUnder(deps, programId, termsRevision);
    const past = await pastDueMonths(deps, program.terms.period.from, programCoverageEnd(program), asOf);
    const revisions = new Map<string, number>();
    const months: SweptMonth[] = [];
    const earlier = read;
    read = new Map();
    for (const m of past) {
      const dues = earlier.get(m.month) ?? (await loadDues(deps, programId, m.month));
      revisions.set(streams.dues(programId, m.month), dues.revision);
      const invoice = currentInvoice(dues.state);
      const lineOf = new Map<string, number>();
      invoice?.lines.forEach((id, line) => lineOf.set(id, line));
      months.push({ ...m, invoice, lineOf });
    }
    // Who owes each month now, read after the seats: a coverage approved (or widened) after a
    // month's roster was frozen owes it without a line, so it counts as unpaid there. The read
    // model holds every coverage the seats stream knew at its revision; one decided later
    // conflicts with the append below.
    const owing = new Map<YearMonth, string[]>();
    for (const m of months) {
      // A month with its invoice: only coverages changed after its roster was frozen can owe it
      // without a line (the roster holds every other), so only those are asked for.
      const question = {
        programId,
        month: m.month,
        monthRule: program.terms.monthRule ?? DEFAULT_MONTH_RULE,
        programEnd: programCoverageEnd(program),
        ...(m.invoice ? { changedAfter: m.invoice.frozenAtPosition } : {}),
      };
      owing.set(m.month, (await roster(question)).enrollmentIds);
    }
    const ids = candidateIds(
      months.map((m) => (m.invoice ? { ...m, invoice: invoiceAsOf(m.invoice, asOf) } : m)),
      owing,
    );
    const candidates: EnrollmentState[] = [];
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const read = await Promise.all(
        ids
          .slice(i, i + READ_CONCURRENCY)
          .map((id) =>
            fold<EnrollmentState, EnrollmentStreamEvent>(
              deps.store,
              streams.enrollment(id),
              evolveEnrollment,
              initialEnrollmentState(),
            ),
          ),
      );
      read.forEach(({ state, revision }) => {
        if (state.status !== 'approved') return;
        revisions.set(streams.enrollment(state.enrollmentId), revision);
        candidates.push(state);
      });
    }
    const { events, lapses } = decideSweep(
      { type: 'SweepLapses', programId, asOf },
      { program, seats, months, candidates },
    );
    const expected = (streamId: string) =>
      streamId === streams.seats(programId)
        ? expectedFor(seats.revision)
        : revisions.has(streamId)
          ? expectedFor(revisions.get(streamId)!)
          : ('exists' as const);
    return {
      appends: appendsOf(events, expected, () => metadata(ctx)),
      result: { programId, asOf, issued, lapses },
    };
  });
}

/**
 * The enrollments that may lapse: each unpaid (or partly paid) line's enrollment, and each
 * coverage owing a month without a line on its invoice, that is not a paid line in enough of
 * the other months to stay clear of a lapse. Enrollments paid in all but `GRACE_MONTHS` months are never read.
 */
function candidateIds(months: SweptMonth[], owing: ReadonlyMap<YearMonth, string[]>): string[] {
  const unpaid = new Set<string>();
  for (const m of months) {
    for (const id of owing.get(m.month) ?? []) if (!m.lineOf.has(id)) unpaid.add(id);
    if (!m.invoice) continue;
    const statuses = lineStatuses(m.invoice);
    m.invoice.lines.forEach((id, line) => {
      if (statuses[line] !== 'paid') unpaid.add(id);
    });
  }
  const paidMonths = new Map<string, number>();
  for (const m of months) {
    if (!m.invoice) continue;
    const statuses = lineStatuses(m.invoice);
    m.invoice.lines.forEach((id, line) => {
      if (statuses[line] === 'paid' && unpaid.has(id)) paidMonths.set(id, (paidMonths.get(id) ?? 0) + 1);
    });
  }
  return [...unpaid].filter((id) => months.length - (paidMonths.get(id) ?? 0) > GRACE_MONTHS).sort();
}
