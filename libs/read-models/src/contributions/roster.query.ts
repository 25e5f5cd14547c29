import {
  firstDayOf,
  lastDayOf,
  owesMonth,
  type MonthRule,
  type YearMonth,
} from '@ledger/ledger/contributions/obligation';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { coverageTo } from '../enrollments/status-on';
import type { ReadQuery } from '../read-schema';

export interface RosterQuestion {
  programId: string;
  month: YearMonth;
  monthRule: MonthRule;
  /** The program's last covered day: min(period end, closing day). */
  programEnd: IsoDate;
  /** Only enrollments whose row changed after this log position; absent: all. */
  changedAfter?: number;
}

/** Rows read per page: the roster of a program can hold hundreds of thousands of coverages. */
const PAGE = 20_000;

/**
 * The enrollments of a program that owe a month under its month rule, in a fixed order (their
 * ids, which grow with the time they were proposed), from the enrollments read model. The
 * caller makes sure the read model has reached the position it freezes the roster at.
 *
 * The database narrows to coverages that touch the month; `owesMonth` decides, so the rule is
 * applied in exactly one place.
 */
export async function rosterOf(db: ReadQuery, question: RosterQuestion): Promise<string[]> {
  const { programId, month, monthRule, programEnd } = question;
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  if (programEnd < first) return [];
  const ids: string[] = [];
  let after = '';
  // Bounded: every page moves `after` forward over a finite table.
  for (;;) {
    const rows = await db
      .selectFrom('enrollments')
      .select(['id', 'coverage_from', 'ended_on'])
      .where('program_id', '=', programId)
      .where('coverage_from', 'is not', null)
      .where('coverage_from', '<=', last)
      .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>=', first)]))
      .where('id', '>', after)
      .$if(question.changedAfter !== undefined, (q) =>
        q.where('updated_position', '>', question.changedAfter!),
      )
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const coverage = { from: row.coverage_from!, to: coverageTo(row, programEnd) };
      if (owesMonth(coverage, month, monthRule)) ids.push(row.id);
    }
    if (rows.length < PAGE) return ids;
    after = rows[rows.length - 1].id;
  }
}

/**
 * The coverage of each given enrollment as the read model holds it (for refunds: does it still
 * owe the month?). Unknown ids are absent from the answer.
 */
export async function coveragesOf(
  db: ReadQuery,
  enrollmentIds: string[],
  programEnd: IsoDate,
): Promise<Map<string, { from: IsoDate; to: IsoDate } | null>> {
  const out = new Map<string, { from: IsoDate; to: IsoDate } | null>();
  for (let i = 0; i < enrollmentIds.length; i += 500) {
    const rows = await db
      .selectFrom('enrollments')
      .select(['id', 'coverage_from', 'ended_on'])
      .where('id', 'in', enrollmentIds.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      out.set(
        row.id,
        row.coverage_from ? { from: row.coverage_from, to: coverageTo(row, programEnd) } : null,
      );
    }
  }
  return out;
}
