import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { personalView } from '../participants/personal-view';
import type { ReadQuery } from '../read-schema';

export interface RosterQuestion {
  programId: string;
  /** Region prefixes of the caller's scope ('' for national): only enrollments in their villages. */
  scope: string[];
  /** A region code (village or wider) the roster is narrowed to. */
  region?: string;
  /** One participant (found by NIK through the lookup, so the NIK is in no URL). */
  participantId?: string;
  offset: number;
  limit: number;
}

/**
 * One page of a program's roster from the enrollments read model, in enrollment id order
 * (the program's index), with the total for paging. Each row carries the participant's NIK
 * masked — for every role, auditors included: a roster is a list, not a person's file.
 * The page's NIKs are opened from the participants' sealed data one by one, so a page is
 * bounded by `limit`; an erased person's NIK is null.
 */
export async function programRoster(
  db: ReadQuery,
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  question: RosterQuestion,
) {
  let base = db.selectFrom('enrollments as e').where('e.program_id', '=', question.programId);
  if (!question.scope.includes('')) {
    base = base.where((eb) => eb.or(question.scope.map((p) => eb('e.village_code', 'like', `${p}%`))));
  }
  if (question.region) base = base.where('e.village_code', 'like', `${question.region}%`);
  if (question.participantId) base = base.where('e.participant_id', '=', question.participantId);

  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await base
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .leftJoin('participants as pa', 'pa.id', 'e.participant_id')
    .select([
      'e.id',
      'e.participant_id',
      'e.village_code',
      'e.status',
      'e.coverage_from',
      'e.ended_on',
      'e.end_reason',
      'p.period_to',
      'p.closed_on',
      'pa.erased',
    ])
    .orderBy('e.id')
    .offset(question.offset)
    .limit(question.limit)
    .execute();

  const participants = [];
  for (const r of rows) {
    const personal = await personalView(deps, r.participant_id, Boolean(r.erased), 'viewer');
    participants.push({
      enrollmentId: r.id,
      participantId: r.participant_id,
      // Opened as a viewer sees it: the NIK masked (1603********01), never in full.
      maskedNik: personal === 'erased' ? null : personal.nik,
      villageCode: r.village_code,
      status: r.status,
      coverage: r.coverage_from
        ? { from: r.coverage_from, to: r.ended_on ?? lastCoveredDay(r.period_to, r.closed_on) }
        : null,
      endReason: r.end_reason,
    });
  }
  return {
    programId: question.programId,
    participants,
    page: { offset: question.offset, limit: question.limit, total: Number(total) },
  };
}
