import type { IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import type { ClaimEvent, ClaimGuardEvent, ClaimKind } from './claim.events';

export type ClaimStatus =
  'none' | 'filed' | 'documents_complete' | 'submitted' | 'approved' | 'rejected' | 'paid' | 'withdrawn';

export const CLAIM_STATUSES: readonly ClaimStatus[] = [
  'filed',
  'documents_complete',
  'submitted',
  'approved',
  'rejected',
  'paid',
  'withdrawn',
];

/** States from which a claim may still move on; the guard counts them as open. */
export const OPEN_STATUSES: readonly ClaimStatus[] = ['filed', 'documents_complete', 'submitted', 'approved'];

/** A rejected claim may be reopened this many times, no more. */
export const MAX_REOPENINGS = 2;

export type Filed = Extract<ClaimEvent, { type: 'ClaimFiled' }>['data'];

export interface ClaimState {
  status: ClaimStatus;
  filed: Filed | null;
  amount: number | null;
  reopenings: number;
}

export const initialClaimState = (): ClaimState => ({
  status: 'none',
  filed: null,
  amount: null,
  reopenings: 0,
});

export function evolveClaim(state: ClaimState, event: ClaimEvent): ClaimState {
  switch (event.type) {
    case 'ClaimFiled':
      return { ...state, status: 'filed', filed: event.data };
    case 'ClaimDocumentsCompleted':
      return {
        ...state,
        status: 'documents_complete',
        filed: state.filed && { ...state.filed, documents: event.data.documents },
      };
    case 'ClaimSubmitted':
      return { ...state, status: 'submitted' };
    case 'ClaimApproved':
      return { ...state, status: 'approved', amount: event.data.amount };
    case 'ClaimRejected':
      return { ...state, status: 'rejected' };
    case 'ClaimPaid':
      return { ...state, status: 'paid' };
    case 'ClaimWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ClaimReopened':
      // A reopened claim is checked again from its documents.
      return { ...state, status: 'filed', amount: null, reopenings: state.reopenings + 1 };
  }
}

export function requireClaimStatus(state: ClaimState, allowed: readonly ClaimStatus[], step: string): Filed {
  if (state.status === 'none' || !state.filed)
    throw new RuleViolation('claim.notFound', 'Klaim tidak ditemukan', 'not_found');
  if (!allowed.includes(state.status)) {
    throw new RuleViolation(
      'claim.status',
      `Langkah ${step} tidak dapat dilakukan pada klaim berstatus ${state.status}`,
      'conflict',
      { currentStatus: state.status },
    );
  }
  return state.filed;
}

export interface ClaimGuardState {
  /** The open claim of each kind. */
  open: Map<ClaimKind, string>;
  /** The death claim recorded for the participant, unless it was withdrawn. */
  deathClaimId: string | null;
  /** The death reported without a claim, if any: a later death claim is for this death. */
  deathReport: { reportId: string; dateOfDeath: IsoDate } | null;
}

export const initialClaimGuard = (): ClaimGuardState => ({
  open: new Map(),
  deathClaimId: null,
  deathReport: null,
});

export function evolveClaimGuard(state: ClaimGuardState, event: ClaimGuardEvent): ClaimGuardState {
  const open = new Map(state.open);
  switch (event.type) {
    case 'ClaimOpened':
      open.set(event.data.kind, event.data.claimId);
      return { ...state, open, deathClaimId: event.data.death ? event.data.claimId : state.deathClaimId };
    case 'ClaimClosed': {
      if (open.get(event.data.kind) === event.data.claimId) open.delete(event.data.kind);
      const releasesDeath =
        event.data.death && !event.data.keepsDeath && state.deathClaimId === event.data.claimId;
      return { ...state, open, deathClaimId: releasesDeath ? null : state.deathClaimId };
    }
    case 'DeathReported':
      return {
        ...state,
        deathReport: { reportId: event.data.reportId, dateOfDeath: event.data.dateOfDeath },
      };
  }
}

/**
 * A claim of `kind` may open only when none of that kind is open, and a death only once. A
 * death already reported is that death: its claim must give the same date.
 */
export function checkGuard(
  guard: ClaimGuardState,
  kind: ClaimKind,
  death: boolean,
  claimId: string,
  eventDate?: IsoDate,
): void {
  const open = guard.open.get(kind);
  if (open !== undefined && open !== claimId) {
    throw new RuleViolation(
      'claim.openExists',
      `Peserta ini masih memiliki klaim ${kind} yang terbuka`,
      'conflict',
      { openClaimId: open },
    );
  }
  if (death && guard.deathClaimId !== null && guard.deathClaimId !== claimId) {
    throw new RuleViolation(
      'claim.deathExists',
      'Kematian peserta ini sudah diklaim; buka kembali klaim yang ada bila perlu',
      'conflict',
      { deathClaimId: guard.deathClaimId },
    );
  }
  if (death && guard.deathReport && eventDate !== undefined && eventDate !== guard.deathReport.dateOfDeath) {
    throw fieldViolation(
      'eventDate',
      'claim.eventDate.reportedDeath',
      `Kematian peserta ini sudah dilaporkan dengan tanggal ${guard.deathReport.dateOfDeath}`,
      { deathReportId: guard.deathReport.reportId },
    );
  }
}

export const isDeath = (filed: Pick<Filed, 'benefit'>) => filed.benefit === 'death';

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A refusal of one field, named in the problem's `errors` as every field refusal is. */
export function fieldViolation(
  field: string,
  rule: string,
  message: string,
  details: Record<string, unknown> = {},
): RuleViolation {
  return new RuleViolation(rule, message, 'unprocessable', { ...details }, [{ field, rule, message }]);
}
