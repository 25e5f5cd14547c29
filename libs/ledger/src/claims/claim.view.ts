import { maskNik } from '../participants/nik';
import type { LedgerDeps } from '../shared/command.deps';
import { streams } from '../shared/streams';
import type { ClaimEvent, Heir } from './claim.events';
import { loadClaim } from './claim.load';
import { openHeirs } from './heirs.deps';
import { requiredDocuments } from './required-documents';

/** Heirs as a role that may not see them reads them: enough to recognise, not to use. */
export function maskHeir(heir: Heir): Heir {
  return {
    name: `${heir.name.trim().charAt(0)}***`,
    nik: maskNik(heir.nik),
    relationship: heir.relationship,
    bankName: heir.bankName,
    accountNumber: `****${heir.accountNumber.slice(-3)}`,
    phone: heir.phone === null ? null : '****',
  };
}

/**
 * One claim with its steps (who, when) and its heirs: opened for the roles that handle
 * claims, masked for the others, null once the participant was erased.
 */
export async function claimView(
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  claimId: string,
  seeHeirs: boolean,
) {
  const { state, filed } = await loadClaim(deps, claimId);
  const events = await deps.store.readStream(streams.claim(claimId));
  const key = filed.heirs
    ? (await deps.keys.getMany([filed.participantId])).get(filed.participantId)
    : undefined;
  const heirs = filed.heirs ? openHeirs(key, claimId, filed.heirs) : null;
  const approved = events.find((e) => e.type === 'ClaimApproved')?.data as
    Extract<ClaimEvent, { type: 'ClaimApproved' }>['data'] | undefined;
  const { heirs: _sealed, ...facts } = filed;
  return {
    ...facts,
    status: state.status,
    reopenings: state.reopenings,
    requiredDocuments: requiredDocuments(filed.kind, filed.benefit),
    heirs: heirs && (seeHeirs ? heirs : heirs.map(maskHeir)),
    heirsMasked: !seeHeirs,
    heirsErased: filed.heirs !== null && heirs === null,
    amount: state.status === 'approved' || state.status === 'paid' ? (state.amount ?? null) : null,
    breakdown: state.status === 'approved' || state.status === 'paid' ? (approved?.breakdown ?? []) : [],
    educationBenefitChildren: approved?.educationBenefitChildren ?? 0,
    steps: events.map((e) => {
      const { claimId: _id, heirs: _h, ...data } = e.data as Record<string, unknown>;
      return {
        type: e.type,
        recordedAt: e.metadata.occurredAt,
        actor: e.metadata.actor ? { id: e.metadata.actor.id, role: e.metadata.actor.role } : null,
        ...(e.type === 'ClaimFiled' ? {} : { data }),
      };
    }),
  };
}
