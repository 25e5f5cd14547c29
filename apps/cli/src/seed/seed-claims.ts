import { approveClaim } from '@ledger/ledger/claims/approve/approve-claim.handler';
import type { ClaimDocument, DocumentType, Heir } from '@ledger/ledger/claims/claim.events';
import { completeDocuments } from '@ledger/ledger/claims/complete-documents/complete-documents.handler';
import { fileClaim } from '@ledger/ledger/claims/file/file-claim.handler';
import { payClaim } from '@ledger/ledger/claims/pay/pay-claim.handler';
import { rejectClaim } from '@ledger/ledger/claims/reject/reject-claim.handler';
import { requiredDocuments } from '@ledger/ledger/claims/required-documents';
import { submitClaim } from '@ledger/ledger/claims/submit/submit-claim.handler';
import type { PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import type { BackfillRequest } from '@ledger/ledger/shared/backfill';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { LedgerRuntime } from '@ledger/runtime';

/** One claim of the demo, as the table at the end of the demo lists it. */
export interface SeededClaim extends Record<string, unknown> {
  regency: string;
  kind: string;
  benefit: string;
  eventDate: string;
  status: string;
  eligible: boolean;
  reasons: string;
  claimId: string;
}

export const documentsOf = (types: DocumentType[], issuedOn: string): ClaimDocument[] =>
  types.map((type, i) => ({ type, number: `DEMO-${issuedOn.replaceAll('-', '')}-${i + 1}`, issuedOn }));

/** A synthetic heir from the person's own village, with a made-up account. */
export function heirOf(
  heirs: PeopleGenerator,
  villageCode: string,
  relationship: Heir['relationship'],
  n: number,
): Heir {
  const person = heirs.next({ villageCode, minAge: 18, maxAge: 60 });
  return {
    name: person.name,
    nik: person.nik,
    relationship,
    bankName: 'Bank Sumsel Babel',
    accountNumber: `1603${String(n).padStart(9, '0')}`,
    phone: person.phone,
  };
}

/**
 * The demo's claims, after the dues are in, so eligibility reads paid months:
 * - Sijunjung: a worker died on 31 December 2025 (the programs' last day, so the coverage
 *   figures stay as they are), approved at the benefit table's Rp42,000,000 and paid;
 * - Muara Enim: a work accident on 5 November 2025 (medical care), approved at BPJS's amount
 *   and paid; an accident ends no coverage, so the 26,775 workers and their dues stay;
 * - Sarolangun: a work accident on 18 November 2025, submitted to BPJS, not decided yet;
 * - PALI: a death on 31 December 2025, documents complete; and the worker whose coverage
 *   lapsed on 15 May 2025 died on 20 June 2025: recorded `not_covered_on_event_date`, rejected.
 * The events are of 2025, recorded now: a death's end of coverage is a backfill (migration).
 */
export async function seedClaims(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  ctx: CommandContext,
  heirs: PeopleGenerator,
  programs: { sijunjung: string; muaraEnim: string; sarolangun: string; pali: string },
  lapsedEnrollmentId: string | undefined,
  backfill: BackfillRequest,
): Promise<SeededClaim[]> {
  await runtime.runner.catchUp();
  const firstCovered = async (programId: string) =>
    runtime.read.query
      .selectFrom('enrollments')
      .select(['id', 'participant_id', 'village_code'])
      .where('program_id', '=', programId)
      .where('status', '=', 'approved')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
  const enrollmentOf = (id: string) =>
    runtime.read.query
      .selectFrom('enrollments')
      .select(['id', 'participant_id', 'village_code'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const seeded: SeededClaim[] = [];
  let n = 0;
  const file = async (
    enrollment: { id: string; participant_id: string; village_code: string },
    kind: 'JKM' | 'JKK',
    benefit: 'death' | 'medical' | 'temporary_incapacity',
    eventDate: string,
    reportedOn: string,
  ) => {
    const death = benefit === 'death';
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
      ...(death ? { backfill } : {}),
    });
    const claimId = filed.claimId;
    const row = {
      regency: enrollment.village_code.slice(0, 4),
      kind,
      benefit,
      eventDate,
      status: 'filed',
      eligible: filed.eligible,
      reasons: filed.reasons.join(', '),
      claimId,
    };
    seeded.push(row);
    return {
      documents: async (on: string) => {
        await completeDocuments(deps, ctx, claimId, {
          documents: documentsOf(requiredDocuments(kind, benefit), reportedOn),
          completedOn: on,
          today: ctx.today,
        });
        row.status = 'documents_complete';
      },
      submit: async (on: string) => {
        await submitClaim(deps, ctx, claimId, { submittedOn: on });
        row.status = 'submitted';
      },
      approve: async (on: string, approvedAmount: number | null = null) => {
        await approveClaim(deps, ctx, claimId, { approvedOn: on, approvedAmount });
        row.status = 'approved';
      },
      pay: async (on: string, reference: string) => {
        await payClaim(deps, ctx, claimId, { paidOn: on, reference, today: ctx.today });
        row.status = 'paid';
      },
      reject: async (on: string, note: string) => {
        await rejectClaim(deps, ctx, claimId, { code: 'not_covered_on_event_date', note, rejectedOn: on });
        row.status = 'rejected';
      },
    };
  };

  const sijunjung = await file(
    await firstCovered(programs.sijunjung),
    'JKM',
    'death',
    '2025-12-31',
    '2026-01-05',
  );
  await sijunjung.documents('2026-01-12');
  await sijunjung.submit('2026-01-13');
  await sijunjung.approve('2026-01-27');
  await sijunjung.pay('2026-02-03', 'TRF-BPJS-DEMO-0001');

  const muaraEnim = await file(
    await firstCovered(programs.muaraEnim),
    'JKK',
    'medical',
    '2025-11-05',
    '2025-11-06',
  );
  await muaraEnim.documents('2025-11-10');
  await muaraEnim.submit('2025-11-11');
  await muaraEnim.approve('2025-11-25', 3_250_000);
  await muaraEnim.pay('2025-12-02', 'TRF-BPJS-DEMO-0002');

  const sarolangun = await file(
    await firstCovered(programs.sarolangun),
    'JKK',
    'temporary_incapacity',
    '2025-11-18',
    '2025-11-20',
  );
  await sarolangun.documents('2025-11-28');
  await sarolangun.submit('2025-12-01');

  const pali = await file(await firstCovered(programs.pali), 'JKM', 'death', '2025-12-31', '2026-01-08');
  await pali.documents('2026-01-15');

  if (lapsedEnrollmentId) {
    const lapsed = await file(
      await enrollmentOf(lapsedEnrollmentId),
      'JKM',
      'death',
      '2025-06-20',
      '2025-06-23',
    );
    await lapsed.reject('2025-07-01', 'Kepesertaan berakhir 15 Mei 2025 karena iuran menunggak');
  }
  await runtime.runner.catchUp();
  return seeded;
}
