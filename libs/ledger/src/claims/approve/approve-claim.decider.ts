import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import { approvedLines, educationChildren } from '../benefit-rules';
import type { ClaimEvent } from '../claim.events';
import { requireClaimStatus, type ClaimState } from '../claim.state';

export interface ApproveClaim {
  type: 'ApproveClaim';
  approvedOn: IsoDate;
  /** JKK medical care and incapacity: what BPJS approved. Ignored where the table fixes the amount. */
  approvedAmount: number | null;
  /**
   * Months the worker contributed up to the month of death, across all their enrollments
   * (read by the handler from the NIK registry and the dues streams): the education benefit's fact.
   */
  contributedMonths: number;
}

/**
 * Approves a submitted claim at the amount of the benefit table (or BPJS's for the benefits
 * the table leaves to it). A claim that failed an eligibility rule can only be rejected.
 */
export function decideApprove(command: ApproveClaim, state: ClaimState): StreamEvent<ClaimEvent>[] {
  const filed = requireClaimStatus(state, ['submitted'], 'persetujuan');
  if (!filed.eligible) {
    throw new RuleViolation(
      'claim.notEligible',
      `Klaim tidak memenuhi syarat (${filed.reasons.join(', ')}); klaim hanya dapat ditolak`,
      'conflict',
      { reasons: filed.reasons },
    );
  }
  const breakdown = approvedLines(
    filed.kind,
    filed.benefit,
    filed.eventDate,
    filed.declaredIncome,
    command.approvedAmount,
  );
  return [
    {
      streamId: streams.claim(filed.claimId),
      event: {
        type: 'ClaimApproved',
        data: {
          claimId: filed.claimId,
          amount: breakdown.reduce((sum, line) => sum + line.amount, 0),
          breakdown,
          educationBenefitChildren: educationChildren(
            filed.kind,
            filed.benefit,
            command.contributedMonths,
            filed.childHeirCount,
          ),
          contributedMonths: command.contributedMonths,
          approvedOn: command.approvedOn,
        },
      },
    },
  ];
}
