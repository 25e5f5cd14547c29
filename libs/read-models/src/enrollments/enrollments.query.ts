import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { percent } from '../coverage/percent';
import type { ProgramInfo } from '../programs/programs.query';
import type { ReadQuery } from '../read-schema';
import { statusOn } from './status-on';

export { statusOn } from './status-on';

/**
 * A program on `date` (the effective date: what was true on that day), each enrollment
 * counted by `statusOn` over the effective dates its events carry — the coverage report's
 * meaning of "active", whenever the facts were recorded:
 *
 * - `proposed`: enrollments known on `date` (every status but `unknown`): proposed by then,
 *   or covered by then even when the proposal was recorded later (a backfilled list);
 * - `pending`, `rejected`, `notYetStarted`, `active`, `ended`: by `statusOn`;
 *   `approved` = notYetStarted + active + ended (a coverage that began or was granted);
 * - `quotaUse`: seats held on `date`, pending + notYetStarted + active, against the quota;
 * - `deregistrationsByReason`: coverages whose deregistration's last day lies before `date`,
 *   by reason, in the order first met (as the export shows them);
 * - `monthlyLiability`: active × the program's monthly contribution, in whole rupiah.
 *
 * With `knownAt` (a log position) the enrollments are those the ledger held then, read from
 * the versions read model, and `program` must be the program as known then; the answer
 * echoes it. `countsScope`: region prefixes the counts are limited to (a token inside a
 * wider program's region), or null for all.
 */
export async function programSummary(
  db: ReadQuery,
  program: ProgramInfo,
  date: IsoDate,
  countsScope: string[] | null,
  knownAt?: number,
) {
  const end = program.end;
  const rows = await enrollmentDatesOf(db, program.id, date, countsScope, knownAt);
  const counts = { approved: 0, rejected: 0, pending: 0, active: 0, ended: 0, notStarted: 0 };
  const deregistrations = new Map<string | null, number>();
  let proposed = 0;
  for (const r of rows) {
    const status = statusOn(r, date, end);
    if (status === 'unknown') continue;
    proposed += 1;
    if (status === 'rejected' || status === 'pending') {
      counts[status] += 1;
      continue;
    }
    counts.approved += 1;
    counts[status] += 1;
    if (r.ended_on !== null && r.ended_on < date) {
      deregistrations.set(r.end_reason, (deregistrations.get(r.end_reason) ?? 0) + 1);
    }
  }
  const { approved, rejected, pending, active, ended, notStarted } = counts;
  const summary = {
    programId: program.id,
    name: program.name,
    date,
    ...(knownAt === undefined ? {} : { knownAt }),
    period: { from: program.from, end },
    ...(countsScope ? { countsScope } : {}),
    proposed,
    pending,
    approved,
    rejected,
    notYetStarted: notStarted,
    active,
    ended,
    quota: program.quota,
    quotaUse: {
      seats: pending + active + notStarted,
      percent: percent(pending + active + notStarted, program.quota),
    },
    deregistrationsByReason: Object.fromEntries([...deregistrations].sort()),
    monthlyContribution: program.monthlyContribution,
    monthlyLiability: active * program.monthlyContribution,
  };
  return { summary, deregistrations: [...deregistrations] };
}

/**
 * The effective dates of a program's enrollments that may count on `date`: any of them on
 * or before it (a coverage backfilled from before its proposal's day included; `statusOn`
 * decides the rest). From the current table, or with `knownAt` from the versions current at
 * that position.
 */
async function enrollmentDatesOf(
  db: ReadQuery,
  programId: string,
  date: IsoDate,
  countsScope: string[] | null,
  knownAt: number | undefined,
) {
  const columns = [
    'proposed_on',
    'approved_on',
    'rejected_on',
    'coverage_from',
    'ended_on',
    'end_reason',
  ] as const;
  if (knownAt === undefined) {
    let query = db
      .selectFrom('enrollments')
      .select(columns)
      .where('program_id', '=', programId)
      .where((eb) =>
        eb.or([
          eb('proposed_on', '<=', date),
          eb('coverage_from', '<=', date),
          eb('approved_on', '<=', date),
          eb('rejected_on', '<=', date),
        ]),
      );
    if (countsScope) {
      query = query.where((eb) =>
        eb.or(countsScope.map((prefix) => eb('village_code', 'like', `${prefix}%`))),
      );
    }
    return await query.execute();
  }
  let query = db
    .selectFrom('enrollment_versions')
    .select(columns)
    .where('program_id', '=', programId)
    .where('known_from', '<=', knownAt)
    .where((eb) => eb.or([eb('known_to', 'is', null), eb('known_to', '>', knownAt)]))
    .where((eb) =>
      eb.or([
        eb('proposed_on', '<=', date),
        eb('coverage_from', '<=', date),
        eb('approved_on', '<=', date),
        eb('rejected_on', '<=', date),
      ]),
    );
  if (countsScope) {
    query = query.where((eb) => eb.or(countsScope.map((prefix) => eb('village_code', 'like', `${prefix}%`))));
  }
  return await query.execute();
}

export type ProgramSummary = Awaited<ReturnType<typeof programSummary>>;

/** A participant's enrollments in the order they were proposed. */
export async function enrollmentsOf(db: ReadQuery, participantId: string) {
  return await db
    .selectFrom('enrollments')
    .select(['id', 'program_id', 'village_code', 'status', 'coverage_from', 'ended_on', 'end_reason'])
    .where('participant_id', '=', participantId)
    .orderBy('proposed_on')
    .execute();
}

/** One enrollment with its program's name and coverage period; undefined for an unknown id. */
export async function enrollmentById(db: ReadQuery, id: string) {
  const row = await db
    .selectFrom('enrollments as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .select([
      'e.id',
      'e.program_id',
      'e.participant_id',
      'e.village_code',
      'e.occupation',
      'e.status',
      'e.proposed_on',
      'e.coverage_from',
      'e.ended_on',
      'e.end_reason',
      'e.rejection_reason',
      'e.import_id',
      'p.period_to',
      'p.closed_on',
      'p.name',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const programEnd = lastCoveredDay(row.period_to, row.closed_on);
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.name,
    participantId: row.participant_id,
    villageCode: row.village_code,
    occupation: row.occupation,
    status: row.status,
    proposedOn: row.proposed_on,
    coverage: row.coverage_from ? { from: row.coverage_from, to: row.ended_on ?? programEnd } : null,
    endReason: row.end_reason,
    rejectionReason: row.rejection_reason,
    importId: row.import_id,
  };
}
