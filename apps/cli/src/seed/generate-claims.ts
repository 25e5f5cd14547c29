import { approveClaim } from '@ledger/ledger/claims/approve/approve-claim.handler';
import {
  REJECTION_CODES,
  type ClaimBenefit,
  type ClaimKind,
  type RejectionCode,
} from '@ledger/ledger/claims/claim.events';
import { completeDocuments } from '@ledger/ledger/claims/complete-documents/complete-documents.handler';
import { fileClaim } from '@ledger/ledger/claims/file/file-claim.handler';
import { payClaim } from '@ledger/ledger/claims/pay/pay-claim.handler';
import { rejectClaim } from '@ledger/ledger/claims/reject/reject-claim.handler';
import { requiredDocuments } from '@ledger/ledger/claims/required-documents';
import { submitClaim } from '@ledger/ledger/claims/submit/submit-claim.handler';
import { mulberry32, type PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { addDays, type IsoDate } from '@ledger/ledger/shared/dates';
import type { LedgerRuntime } from '@ledger/runtime';
import { sql } from 'kysely';
import { stepProgress } from '../progress';
import { documentsOf, heirOf } from './seed-claims';

const BACKFILL = { reason: 'migration' as const, note: 'Klaim bangkitan (benchmark)' };

/** How far a generated claim goes: filed, documents complete, submitted, approved, paid or rejected. */
const STAGES = [
  [0.15, 'filed'],
  [0.3, 'documents_complete'],
  [0.45, 'submitted'],
  [0.55, 'approved'],
  [0.95, 'paid'],
  [1, 'rejected'],
] as const;

/**
 * `count` claims for benchmarks, through the claim use cases, on covered participants spread
 * over every program (enrollments in the order of their ids' random digits): 40 % JKM deaths (which end
 * the coverage that day, recorded as a migration), 60 % JKK medical care or temporary
 * incapacity; each goes as far as a stage drawn from `STAGES`, every step dated after the last
 * and before `today`. Events fall between 15 January and 15 October of `today`'s year. The
 * officer of each claim is the program admin of its regency, so the audit trail has many
 * actors. Claims already in the ledger count towards `count`: a rerun adds only the rest.
 */
export async function generateClaims(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  heirs: PeopleGenerator,
  count: number,
  today: IsoDate,
): Promise<{ claims: number }> {
  await runtime.runner.catchUp();
  const existing = await runtime.read.query
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const wanted = count - Number(existing.n);
  if (wanted <= 0) return { claims: 0 };
  const enrollments = await runtime.read.query
    .selectFrom('enrollments')
    .innerJoin('programs', 'programs.id', 'enrollments.program_id')
    .leftJoin('claims', 'claims.participant_id', 'enrollments.participant_id')
    .select([
      'enrollments.id as id',
      'enrollments.participant_id as participant_id',
      'enrollments.village_code as village_code',
      'programs.owner_region as owner_region',
    ])
    .where('enrollments.status', '=', 'approved')
    .where('claims.claim_id', 'is', null)
    // Enrollment ids are UUIDv7, in the order they were written: their random last twelve
    // digits spread the claims over every program and region instead.
    .orderBy(sql`substr(${sql.ref('enrollments.id')}, 25)`)
    .orderBy('enrollments.id')
    .limit(wanted)
    .execute();
  const random = mulberry32(count + Number(existing.n));
  const year = today.slice(0, 4);
  const first = Date.parse(`${year}-01-15T00:00:00Z`);
  const span = Math.round((Date.parse(`${year}-10-15T00:00:00Z`) - first) / 86_400_000);
  const progress = stepProgress(enrollments.length, 'claims');
  let n = 0;
  try {
    for (const [i, enrollment] of enrollments.entries()) {
      const ctx = commandContext({
        id: `klaim-${enrollment.owner_region}`,
        role: 'program_admin',
        region: enrollment.owner_region,
      });
      const eventDate = addDays(`${year}-01-15`, Math.floor(random() * span));
      const death = random() < 0.4;
      const kind: ClaimKind = death ? 'JKM' : 'JKK';
      const benefit: ClaimBenefit = death ? 'death' : random() < 0.7 ? 'medical' : 'temporary_incapacity';
      const reportedOn = addDays(eventDate, 1 + Math.floor(random() * 5));
      const filed = await fileClaim(deps, ctx, enrollment.participant_id, {
        enrollmentId: enrollment.id,
        kind,
        benefit,
        eventDate,
        reportedOn,
        heirs: death
          ? [
              heirOf(heirs, enrollment.village_code, 'spouse', ++n),
              heirOf(heirs, enrollment.village_code, 'child', ++n),
            ]
          : [],
        documents: [],
        ...(death ? { backfill: BACKFILL } : {}),
      });
      const claimId = filed.claimId;
      const draw = random();
      // A claim that fails a rule of eligibility can only be rejected, for its first reason.
      const stage = filed.eligible ? STAGES.find(([below]) => draw < below)![1] : 'rejected';
      if (stage === 'rejected') {
        const reason = filed.reasons.find((r) => (REJECTION_CODES as readonly string[]).includes(r));
        await rejectClaim(deps, ctx, claimId, {
          code: (reason as RejectionCode | undefined) ?? 'documents_invalid',
          note: 'Ditolak (bangkitan)',
          rejectedOn: addDays(reportedOn, 10),
        });
      } else if (stage !== 'filed') {
        await completeDocuments(deps, ctx, claimId, {
          documents: documentsOf(requiredDocuments(kind, benefit), reportedOn),
          completedOn: addDays(reportedOn, 5),
          today,
        });
        if (stage !== 'documents_complete') {
          await submitClaim(deps, ctx, claimId, { submittedOn: addDays(reportedOn, 6) });
          if (stage !== 'submitted') {
            const amount = death ? null : 500_000 + Math.floor(random() * 40) * 250_000;
            await approveClaim(deps, ctx, claimId, {
              approvedOn: addDays(reportedOn, 20),
              approvedAmount: amount,
            });
            if (stage === 'paid')
              await payClaim(deps, ctx, claimId, {
                paidOn: addDays(reportedOn, 20 + Math.floor(random() * 20)),
                reference: `GEN-${claimId.slice(0, 8)}`,
                today,
              });
          }
        }
      }
      progress.update(i + 1, `${i + 1} claims`);
    }
  } finally {
    progress.stop();
  }
  return { claims: enrollments.length };
}
