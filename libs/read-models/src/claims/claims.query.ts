import type { ReadQuery } from '../read-schema';

export interface ClaimsFilter {
  /** A region code: the claims of participants whose village lies in it. */
  region: string;
  programId?: string;
  kind?: string;
  status?: string;
  limit: number;
  offset: number;
}

export interface ClaimListItem {
  claimId: string;
  participantId: string;
  programId: string;
  villageCode: string;
  kind: string;
  benefit: string;
  status: string;
  eventDate: string;
  reportedOn: string;
  eligible: boolean;
  reasons: string[];
  amount: number | null;
  paidOn: string | null;
}

/** Claims of a region (by the participant's village), newest event first, one page. */
export async function listClaims(db: ReadQuery, filter: ClaimsFilter) {
  let query = db.selectFrom('claims').where('village_code', 'like', `${filter.region}%`);
  if (filter.programId) query = query.where('program_id', '=', filter.programId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, total] = await Promise.all([
    query
      .selectAll()
      .orderBy('event_date', 'desc')
      .orderBy('claim_id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  const claims: ClaimListItem[] = rows.map((r) => ({
    claimId: r.claim_id,
    participantId: r.participant_id,
    programId: r.program_id,
    villageCode: r.village_code,
    kind: r.kind,
    benefit: r.benefit,
    status: r.status,
    eventDate: r.event_date,
    reportedOn: r.reported_on,
    eligible: Number(r.eligible) === 1,
    reasons: r.reasons ? r.reasons.split(',') : [],
    amount: r.amount === null ? null : Number(r.amount),
    paidOn: r.paid_on,
  }));
  return { claims, page: { offset: filter.offset, limit: filter.limit, total: Number(total?.n ?? 0) } };
}
