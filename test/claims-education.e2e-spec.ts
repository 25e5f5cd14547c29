/**
 * The education benefit of a JKM death counts the months the worker contributed across all
 * their enrollments, over HTTP, once on SQLite and once on PostgreSQL. One worker was covered
 * 21 months by a program that ended, then 20 months by the next one: together more than three
 * years, so two of the three children among the heirs are entitled. A colleague covered only by
 * the second program (20 months) is not, although every month of both was paid.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addMonths, monthOf, monthsBetween } from '@ledger/ledger/contributions/obligation';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { addDays } from '@ledger/ledger/shared/dates';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, currentPeriod, programBody, proposal } from './support/ledger-fixtures';

const LINE = 16_800;

const heir = (name: string, nik: string, relationship: string) => ({
  name,
  nik,
  relationship,
  bankName: 'Bank Sumsel Babel',
  accountNumber: '9876543210123',
});
const heirs = [
  heir('Siti Aminah', '1603014508850002', 'spouse'),
  heir('Budi', '1603010101100003', 'child'),
  heir('Rina', '1603014101120004', 'child'),
  heir('Dewi', '1603014101150005', 'child'),
];
const deathDocuments = (on: string) =>
  ['participant_card', 'id_cards', 'death_certificate', 'family_card', 'heirs_certificate', 'bank_book'].map(
    (type, i) => ({ type, number: `DOC-${i + 1}`, issuedOn: on }),
  );

function educationSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  const today = todayWib();
  const thisMonth = monthOf(today);
  const first = {
    from: `${addMonths(thisMonth, -40)}-01`,
    to: addDays(`${addMonths(thisMonth, -19)}-01`, -1),
  };
  const second = { from: `${addMonths(thisMonth, -19)}-01`, to: currentPeriod().to };
  const deathDay = `${thisMonth}-01`;
  const both = { participantId: '', firstEnrollment: '', secondEnrollment: '' };
  const onlySecond = { participantId: '', enrollmentId: '' };

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    auditor = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    const establish = async (name: string, period: { from: string; to: string }) => {
      const program = await ledger.post(
        '/api/programs',
        admin,
        programBody({ name, period, backfillToleranceDays: 3660 }),
      );
      expect(program.status).toBe(201);
      return program.body.programId as string;
    };
    const firstProgram = await establish('Perlindungan Muara Enim periode lama', first);
    const secondProgram = await establish('Perlindungan Muara Enim periode baru', second);
    const people = createPeopleGenerator({ seed: 1517, today: first.from });
    const worker = people.next({ villageCode: EMBAWANG, maxAge: 45 });
    const colleague = people.next({ villageCode: EMBAWANG, maxAge: 45 });
    const enrol = async (programId: string, person: typeof worker, coverageFrom: string) => {
      // Recorded now as they were decided then, before each program's period began.
      const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, {
        ...proposal(person),
        coverageFrom,
        proposedOn: addDays(coverageFrom, -5),
      });
      expect([proposed.status, proposed.body.type]).toEqual([201, undefined]);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom,
        approvedOn: addDays(coverageFrom, -2),
      });
      expect(approved.status).toBe(200);
      return proposed.body as { participantId: string; enrollmentId: string };
    };
    const pay = async (programId: string, months: string[], lines: number, tag: string) => {
      for (const month of months) {
        const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
        expect([issued.status, issued.body.lineCount]).toEqual([201, lines]);
        const paid = await ledger.post(`/api/invoices/${issued.body.invoiceId}/payments`, finance, {
          amount: lines * LINE,
          paidOn: today,
          reference: `TRF-EDU-${mode}-${tag}-${month}`,
        });
        expect(paid.status).toBe(201);
      }
    };

    // The first program's coverage, ended on its last day, then the same person in the next one.
    const firstEnrolment = await enrol(firstProgram, worker, first.from);
    const ended = await ledger.post(`/api/enrollments/${firstEnrolment.enrollmentId}/deregistration`, admin, {
      reason: 'moved_away',
      effectiveDate: first.to,
    });
    expect(ended.status).toBe(200);
    await pay(firstProgram, monthsBetween(monthOf(first.from), monthOf(first.to)), 1, 'a');
    const secondEnrolment = await enrol(secondProgram, worker, second.from);
    expect(secondEnrolment.participantId).toBe(firstEnrolment.participantId);
    Object.assign(both, {
      participantId: firstEnrolment.participantId,
      firstEnrollment: firstEnrolment.enrollmentId,
      secondEnrollment: secondEnrolment.enrollmentId,
    });
    Object.assign(onlySecond, await enrol(secondProgram, colleague, second.from));
    await pay(secondProgram, monthsBetween(monthOf(second.from), thisMonth), 2, 'b');
  }, 300_000);
  afterAll(async () => {
    await ledger?.close();
  });

  async function approvedDeath(participantId: string, enrollmentId: string) {
    const filed = await ledger.post(`/api/participants/${participantId}/claims`, admin, {
      enrollmentId,
      kind: 'JKM',
      benefit: 'death',
      eventDate: deathDay,
      reportedOn: today,
      heirs,
    });
    expect(filed.body).toMatchObject({ eligible: true, reasons: [] });
    const claimId = filed.body.claimId as string;
    const step = (path: string, body: Record<string, unknown>) =>
      ledger.post(`/api/claims/${claimId}/${path}`, admin, body);
    expect((await step('documents', { documents: deathDocuments(today) })).status).toBe(200);
    expect((await step('submission', {})).status).toBe(200);
    expect((await step('approval', {})).body).toMatchObject({ status: 'approved' });
    const shown = await ledger.get(`/api/claims/${claimId}`, auditor);
    const approval = (await ledger.runtime.store.readStream(`claim-${claimId}`)).find(
      (e) => e.type === 'ClaimApproved',
    );
    return {
      shown: shown.body,
      contributedMonths: (approval?.data as { contributedMonths: number }).contributedMonths,
    };
  }

  it('two enrollments that together pass three years of contributions: two children entitled', async () => {
    const { shown, contributedMonths } = await approvedDeath(both.participantId, both.secondEnrollment);
    expect(shown).toMatchObject({ amount: 42_000_000, educationBenefitChildren: 2 });
    // Counted across both programs (the claim's own enrollment alone holds 20 months).
    expect(contributedMonths).toBeGreaterThanOrEqual(36);
  });

  it('the second program alone, 20 paid months: no education benefit', async () => {
    const { shown, contributedMonths } = await approvedDeath(
      onlySecond.participantId,
      onlySecond.enrollmentId,
    );
    expect(shown).toMatchObject({ amount: 42_000_000, educationBenefitChildren: 0 });
    expect(contributedMonths).toBe(20);
  });
}

describe('SQLite e2e: education benefit', () => educationSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: education benefit',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => educationSuite('postgres'),
);
