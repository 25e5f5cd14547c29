import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { percent } from '../coverage/percent';
import type { ProgramInfo } from '../programs/programs.query';
import type { ReadQuery } from '../read-schema';

type SummaryRow = {
  approved_on: string | null;
  rejected_on: string | null;
  coverage_from: string | null;
  ended_on: string | null;
  end_reason: string | null;
};

/**
 * Where an enrollment stood on `date`. A rejection ends it; until its approval it is pending.
 * Past its last day (its deregistration's, or the program's end) a coverage is over, even one
 * that was to start after the program closed early: it never starts, and its seat is free again.
 */
export function statusOn(row: SummaryRow, date: IsoDate, programEnd: IsoDate) {
  if (row.rejected_on !== null && row.rejected_on <= date) return 'rejected';
  if (row.approved_on === null || row.approved_on > date) return 'pending';
  const last = row.ended_on !== null && row.ended_on < programEnd ? row.ended_on : programEnd;
  if (date > last) return 'ended';
  if (date < row.coverage_from!) return 'notStarted';
  return 'active';
}

/**
 * A program on `date`: its enrollments proposed by then, by where they stood, quota use,
 * deregistrations by reason and the monthly liability. `countsScope`: region prefixes the
 * counts are limited to (a token inside a wider program's region), or null for all.
 * `deregistrations` lists the reasons in the order first met, as the export shows them.
 */
export async function programSummary(
  db: ReadQuery,
  program: ProgramInfo,
  date: IsoDate,
  countsScope: string[] | null,
) {
  const end = program.end;
  let query = db
    .selectFrom('enrollments')
    .select([
      'status',
      'proposed_on',
      'approved_on',
      'rejected_on',
      'coverage_from',
      'ended_on',
      'end_reason',
    ])
    .where('program_id', '=', program.id)
    .where('proposed_on', '<=', date);
  if (countsScope) {
    query = query.where((eb) => eb.or(countsScope.map((prefix) => eb('village_code', 'like', `${prefix}%`))));
  }
  const rows = await query.execute();
  const counts = { approved: 0, rejected: 0, pending: 0, active: 0, ended: 0, notStarted: 0 };
  const deregistrations = new Map<string | null, number>();
  for (const r of rows) {
    const status = statusOn(r, date, end);
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
    period: { from: program.from, end },
    ...(countsScope ? { countsScope } : {}),
    proposed: rows.length,
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
