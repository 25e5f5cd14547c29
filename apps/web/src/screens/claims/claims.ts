import type { User } from '../../api';

/** Program admins file and move claims; finance records their payment (the API refuses others). */
export const filesClaims = (user: User) => user.role === 'program_admin';
export const paysClaims = (user: User) => user.role === 'program_admin' || user.role === 'finance';

export const KINDS = ['JKM', 'JKK'] as const;
export const BENEFITS = ['death', 'medical', 'temporary_incapacity', 'permanent_disability'] as const;
export const STATUSES = [
  'filed',
  'documents_complete',
  'submitted',
  'approved',
  'rejected',
  'paid',
  'withdrawn',
] as const;
export const REJECTION_CODES = [
  'not_covered_on_event_date',
  'contribution_unpaid',
  'reported_late',
  'documents_invalid',
  'not_work_related',
  'other',
] as const;
export const RELATIONSHIPS = ['spouse', 'child', 'parent', 'other'] as const;

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

export interface Heir {
  name: string;
  nik: string;
  relationship: string;
  bankName: string;
  accountNumber: string;
  phone: string | null;
}

/** A claim as `GET /api/claims/{id}` answers it (the parts the screens show). */
export interface Claim {
  claimId: string;
  participantId: string;
  programId: string;
  villageCode: string;
  kind: string;
  benefit: string;
  eventDate: string;
  reportedOn: string;
  heirCount: number;
  eligible: boolean;
  reasons: string[];
  status: string;
  requiredDocuments: string[];
  heirs: Heir[] | null;
  heirsMasked: boolean;
  heirsErased: boolean;
  amount: number | null;
  breakdown: { component: string; amount: number; regulation: string }[];
  steps: {
    type: string;
    recordedAt: string;
    actor: { id: string | null; role: string | null } | null;
    data?: Record<string, unknown>;
  }[];
}

/** A step's answer: the claim's new status and the log position to read after. */
export interface StepWritten {
  claimId: string;
  status: string;
  consistencyToken: number;
}
