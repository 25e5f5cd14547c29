import type { EventStore, RecordedEvent } from '@ledger/event-store';
import type { ClaimEvent, ClaimGuardEvent, DeathReportedEvent } from '@ledger/ledger/claims/claim.events';
import { evolveClaim, initialClaimState } from '@ledger/ledger/claims/claim.state';
import { streams } from '@ledger/ledger/shared/streams';

/** One step of a claim: what it decided, on which day, by whom. Never the heirs. */
export interface HistoryClaimStep {
  position: number;
  occurredAt: string;
  type: string;
  actor: { id: string | null; role: string | null };
  /** The step's effective day (filed: the report day; paid: the payment day). */
  on: string | null;
  details: Record<string, unknown>;
}

export interface HistoryClaim {
  claimId: string;
  enrollmentId: string;
  programId: string;
  kind: string;
  benefit: string;
  status: string;
  eventDate: string;
  reportedOn: string;
  eligible: boolean;
  reasons: string[];
  /** How many heirs were named; who they are stays in the claim, sealed. */
  heirCount: number;
  amount: number | null;
  paidAmount: number | null;
  paidOn: string | null;
  steps: HistoryClaimStep[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The fields each step shows, picked one by one as the rest of the history does: the
 * heirs (sealed) and the documents' numbers stay out; document types say what was seen.
 */
function stepDetails(event: ClaimEvent): { on: string | null; details: Record<string, unknown> } {
  switch (event.type) {
    case 'ClaimFiled': {
      const d = event.data;
      return {
        on: d.reportedOn,
        details: {
          kind: d.kind,
          benefit: d.benefit,
          eventDate: d.eventDate,
          eligible: d.eligible,
          reasons: d.reasons,
          heirCount: d.heirCount,
          documents: d.documents.map((doc) => doc.type),
        },
      };
    }
    case 'ClaimDocumentsCompleted':
      return {
        on: event.data.completedOn,
        details: { documents: event.data.documents.map((doc) => doc.type) },
      };
    case 'ClaimSubmitted':
      return { on: event.data.submittedOn, details: {} };
    case 'ClaimApproved':
      return {
        on: event.data.approvedOn,
        details: {
          amount: event.data.amount,
          breakdown: event.data.breakdown,
          educationBenefitChildren: event.data.educationBenefitChildren,
        },
      };
    case 'ClaimRejected':
      return { on: event.data.rejectedOn, details: { code: event.data.code, note: event.data.note } };
    case 'ClaimPaid':
      return {
        on: event.data.paidOn,
        details: { amount: event.data.amount, reference: event.data.reference },
      };
    case 'ClaimWithdrawn':
      return { on: event.data.withdrawnOn, details: { note: event.data.note } };
    case 'ClaimReopened':
      return { on: event.data.reopenedOn, details: { note: event.data.note } };
    default:
      return { on: null, details: {} };
  }
}

/**
 * The person's claim guard (the events the ledger held then, with `known`), read once for
 * both the claims and the death report.
 */
export async function claimGuardOf(
  store: EventStore,
  participantId: string,
  known: (events: RecordedEvent[]) => RecordedEvent[],
): Promise<RecordedEvent[]> {
  return known(await store.readStream(streams.claimGuard(participantId)));
}

/**
 * The person's claims, read from the event store: the claim guard of the participant names
 * every claim ever opened, each claim's own stream holds its steps. With `known` only the
 * events the ledger held then.
 */
export async function historyClaims(
  store: EventStore,
  participantId: string,
  guard: RecordedEvent[],
  known: (events: RecordedEvent[]) => RecordedEvent[],
): Promise<HistoryClaim[]> {
  const ids = [
    ...new Set(
      guard
        .filter((e) => e.type === 'ClaimOpened')
        .map((e) => (e as unknown as Extract<ClaimGuardEvent, { type: 'ClaimOpened' }>).data.claimId),
    ),
  ];
  const claims: HistoryClaim[] = [];
  for (const claimId of ids) {
    const events = known(await store.readStream(streams.claim(claimId)));
    const filed = events.find((e) => e.type === 'ClaimFiled') as
      (RecordedEvent & Extract<ClaimEvent, { type: 'ClaimFiled' }>) | undefined;
    // Another person's claim can only be named here through a damaged guard: skip it.
    if (!filed || filed.data.participantId !== participantId) continue;
    const state = events.reduce((s, e) => evolveClaim(s, e as unknown as ClaimEvent), initialClaimState());
    const paid = [...events].reverse().find((e) => e.type === 'ClaimPaid') as
      (RecordedEvent & Extract<ClaimEvent, { type: 'ClaimPaid' }>) | undefined;
    const decided = state.status === 'approved' || state.status === 'paid';
    const d = filed.data;
    claims.push({
      claimId,
      enrollmentId: d.enrollmentId,
      programId: d.programId,
      kind: d.kind,
      benefit: d.benefit,
      status: state.status,
      eventDate: d.eventDate,
      reportedOn: d.reportedOn,
      eligible: d.eligible,
      reasons: d.reasons,
      heirCount: d.heirCount,
      amount: decided ? (state.amount ?? null) : null,
      paidAmount: state.status === 'paid' && paid ? paid.data.amount : null,
      paidOn: state.status === 'paid' && paid ? paid.data.paidOn : null,
      steps: events.map((e) => ({
        position: e.position,
        occurredAt: e.metadata.occurredAt,
        type: e.type,
        actor: { id: text(e.metadata.actor?.id), role: text(e.metadata.actor?.role) },
        ...stepDetails(e as unknown as ClaimEvent),
      })),
    });
  }
  return claims.sort((a, b) => a.steps[0].position - b.steps[0].position);
}

/** A death reported without a claim: when, by whom (their relation, never their name), what it ended. */
export interface HistoryDeathReport {
  reportId: string;
  position: number;
  occurredAt: string;
  actor: { id: string | null; role: string | null };
  dateOfDeath: string;
  reportedOn: string;
  reporterRelationship: string;
  certificateIssuedOn: string;
  enrollmentId: string | null;
  coverageEnded: boolean;
}

/** The person's death report, read from their claim guard; null when none was made. */
export function historyDeathReport(guard: RecordedEvent[]): HistoryDeathReport | null {
  const reported = guard.find((e) => e.type === 'DeathReported');
  if (!reported) return null;
  const d = (reported as unknown as DeathReportedEvent).data;
  return {
    reportId: d.reportId,
    position: reported.position,
    occurredAt: reported.metadata.occurredAt,
    actor: { id: text(reported.metadata.actor?.id), role: text(reported.metadata.actor?.role) },
    dateOfDeath: d.dateOfDeath,
    reportedOn: d.reportedOn,
    reporterRelationship: d.reporterRelationship,
    certificateIssuedOn: d.certificate.issuedOn,
    enrollmentId: d.enrollmentId,
    coverageEnded: d.coverageEnded,
  };
}
