import type { RecordedEvent } from '@ledger/event-store';
import type { ClaimEvent } from '@ledger/ledger/claims/claim.events';
import type { ClaimStatus } from '@ledger/ledger/claims/claim.state';
import type { RowProjection } from '../runner/projection';

const DAY_MS = 86_400_000;

/** Calendar days from one ISO day to another. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** One row per claim: what lists and reports count. No heir, no personal data. */
export interface ClaimRow extends Record<string, unknown> {
  claim_id: string;
  participant_id: string;
  program_id: string;
  owner_region: string;
  village_code: string;
  /** The first four digits of the village code: the report's first group. */
  regency: string;
  kind: string;
  benefit: string;
  status: string;
  event_date: string;
  /** YYYY-MM of the event: the report's month. */
  event_month: string;
  reported_on: string;
  eligible: number;
  /** Eligibility reasons, comma-separated ('' when eligible). */
  reasons: string;
  amount: number | null;
  paid_on: string | null;
  /** Calendar days from the death or accident to payment, once paid: what the report's delays count. */
  payment_days: number | null;
  filed_at: string;
}

const STATUS_AFTER: Partial<Record<ClaimEvent['type'], ClaimStatus>> = {
  ClaimDocumentsCompleted: 'documents_complete',
  ClaimSubmitted: 'submitted',
  ClaimApproved: 'approved',
  ClaimRejected: 'rejected',
  ClaimPaid: 'paid',
  ClaimWithdrawn: 'withdrawn',
  ClaimReopened: 'filed',
};

export const claimsProjection: RowProjection<ClaimRow> = {
  kind: 'rows',
  name: 'claims',
  // 2: the region index covers the report's columns. 3: regency, event_month and payment_days,
  // the report's groups and delays counted in the database in the order of an index.
  version: 3,
  handles: [
    'ClaimFiled',
    'ClaimDocumentsCompleted',
    'ClaimSubmitted',
    'ClaimApproved',
    'ClaimRejected',
    'ClaimPaid',
    'ClaimWithdrawn',
    'ClaimReopened',
  ],
  table: {
    name: 'claims',
    columns: {
      claim_id: { type: 'text' },
      participant_id: { type: 'text' },
      program_id: { type: 'text' },
      owner_region: { type: 'text' },
      village_code: { type: 'text' },
      regency: { type: 'text' },
      kind: { type: 'text' },
      benefit: { type: 'text' },
      status: { type: 'text' },
      event_date: { type: 'text' },
      event_month: { type: 'text' },
      reported_on: { type: 'text' },
      eligible: { type: 'integer' },
      reasons: { type: 'text' },
      amount: { type: 'integer', nullable: true },
      paid_on: { type: 'text', nullable: true },
      payment_days: { type: 'integer', nullable: true },
      filed_at: { type: 'text' },
    },
    primaryKey: ['claim_id'],
    // The report groups a region's claims from the index alone, in the index's order: a
    // province with 10,000 claims is read without a lookup of each row nor a sort of them
    // (a sort of the region's rows took most of the report's time). No index on the program
    // alone: SQLite chose it for a program filter and looked up every row of the program.
    indexes: [
      ['regency', 'program_id', 'kind', 'status', 'event_month', 'village_code', 'amount', 'payment_days'],
      ['village_code'],
    ],
  },
  keyOf: (event) => (event.data as { claimId: string }).claimId,
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as ClaimEvent;
    if (event.type === 'ClaimFiled') {
      const d = event.data;
      return {
        claim_id: d.claimId,
        participant_id: d.participantId,
        program_id: d.programId,
        owner_region: d.ownerRegion,
        village_code: d.villageCode,
        regency: d.villageCode.slice(0, 4),
        kind: d.kind,
        benefit: d.benefit,
        status: 'filed',
        event_date: d.eventDate,
        event_month: d.eventDate.slice(0, 7),
        reported_on: d.reportedOn,
        eligible: d.eligible ? 1 : 0,
        reasons: d.reasons.join(','),
        amount: null,
        paid_on: null,
        payment_days: null,
        filed_at: recorded.metadata.occurredAt,
      };
    }
    if (!row) return null;
    const status = STATUS_AFTER[event.type] ?? row.status;
    if (event.type === 'ClaimApproved') return { ...row, status, amount: event.data.amount };
    if (event.type === 'ClaimPaid')
      return {
        ...row,
        status,
        paid_on: event.data.paidOn,
        payment_days: daysBetween(row.event_date, event.data.paidOn),
      };
    if (event.type === 'ClaimReopened') return { ...row, status, amount: null };
    return { ...row, status };
  },
};
