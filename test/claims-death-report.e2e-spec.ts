/**
 * A death reported without a claim, over HTTP, once on SQLite and once on PostgreSQL. The
 * village reports a covered worker's death: the enrollment is deregistered from that day
 * (reason `deceased`) in the same append, and the month paid after it becomes refundable. A
 * second death of the person is refused; the JKM claim filed later for that death links to the
 * report, is eligible, and records no second death. The reporter's name is in no response, no
 * history and no event in plain text. Bad input is a problem naming the field and the rule,
 * and writes nothing.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addMonths, monthOf } from '@ledger/ledger/contributions/obligation';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { addDays } from '@ledger/ledger/shared/dates';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, currentPeriod, programBody, proposal } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;
const LINE = 16_800;
const REPORTER = 'Rahmat Hidayat Kepala Dusun';

function deathReportSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  let programId: string;
  const today = todayWib();
  // The 10th of last month: the month after it (this one) is paid, and refundable once he died.
  const lastMonth = addMonths(monthOf(today), -1);
  const thisMonth = monthOf(today);
  const deathDay = `${lastMonth}-10`;
  const period = { from: `${addMonths(thisMonth, -13)}-01`, to: currentPeriod().to };
  const worker = { participantId: '', enrollmentId: '', birthDate: '' };

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    auditor = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    const program = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Laporan kematian Muara Enim', period, backfillToleranceDays: 3660 }),
    );
    expect(program.status).toBe(201);
    programId = program.body.programId;
    const person = createPeopleGenerator({ seed: 1516, today }).next({ villageCode: EMBAWANG, maxAge: 50 });
    const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, proposal(person));
    expect(proposed.status).toBe(201);
    const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
      coverageFrom: period.from,
    });
    expect(approved.status).toBe(200);
    Object.assign(worker, proposed.body, { birthDate: person.birthDate });
    for (const [i, month] of [lastMonth, thisMonth].entries()) {
      const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
      expect(issued.status).toBe(201);
      const paid = await ledger.post(`/api/invoices/${issued.body.invoiceId}/payments`, finance, {
        amount: LINE,
        paidOn: today,
        reference: `TRF-DEATH-${mode}-${i}`,
      });
      expect(paid.status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, field?: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: problemType(rule),
    });
    if (field)
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await head()).toBe(before);
    return response;
  }
  const report = (over: Record<string, unknown> = {}, participantId = worker.participantId) =>
    ledger.post(`/api/participants/${participantId}/death`, admin, {
      dateOfDeath: deathDay,
      reportedOn: addDays(deathDay, 2),
      reporter: { name: REPORTER, relationship: 'village_officer', phone: '081200001111' },
      certificate: { number: '1603-KM-0001', issuedOn: addDays(deathDay, 1) },
      ...over,
    });
  const deathClaim = (eventDate: string) =>
    ledger.post(`/api/participants/${worker.participantId}/claims`, admin, {
      enrollmentId: worker.enrollmentId,
      kind: 'JKM',
      benefit: 'death',
      eventDate,
      reportedOn: today,
      heirs: [
        {
          name: 'Siti Aminah',
          nik: '1603014508850002',
          relationship: 'spouse',
          bankName: 'Bank Sumsel Babel',
          accountNumber: '9876543210123',
        },
      ],
    });

  it('refuses bad input with a problem naming the field, changing nothing', async () => {
    await refused(
      () => report({ dateOfDeath: addDays(today, 1) }),
      422,
      'death.dateOfDeath.future',
      'dateOfDeath',
    );
    await refused(
      () => report({ dateOfDeath: addDays(worker.birthDate, -1), reportedOn: today }),
      422,
      'death.dateOfDeath.beforeBirth',
      'dateOfDeath',
    );
    await refused(() => report({}, '0197a000-0000-7000-8000-0000000000ff'), 404, 'participant.notFound');
    await refused(
      () => report({ reporter: { name: REPORTER } }),
      400,
      'request.invalid',
      'reporter.relationship',
    );
    await refused(() => report({ certificate: undefined }), 400, 'request.invalid', 'certificate');
    await refused(
      () => report({ certificate: { number: 'X', issuedOn: addDays(deathDay, -1) } }),
      422,
      'death.certificate.issuedOn',
      'certificate.issuedOn',
    );
    const viewer = await ledger.token('viewer', [MUARA_ENIM], 'pemantau-muara-enim');
    await refused(
      () =>
        ledger.post(`/api/participants/${worker.participantId}/death`, viewer, {
          dateOfDeath: deathDay,
          reporter: { name: REPORTER, relationship: 'spouse' },
          certificate: { number: '1', issuedOn: deathDay },
        }),
      403,
      'auth.role',
    );
  });

  it('ends the coverage from the day of death, makes the month paid after it refundable, once', async () => {
    const reported = await report();
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({
      participantId: worker.participantId,
      dateOfDeath: deathDay,
      enrollmentId: worker.enrollmentId,
      coverageEnded: true,
    });
    const token = reported.body.consistencyToken as number;
    const enrollment = await ledger.get(
      `/api/enrollments/${worker.enrollmentId}?consistentWith=${token}`,
      admin,
    );
    expect(enrollment.body).toMatchObject({ status: 'deregistered', endReason: 'deceased' });

    const refundable = await ledger.get(
      `/api/finance/refundable?region=${MUARA_ENIM}&consistentWith=${token}`,
      finance,
    );
    expect(refundable.status).toBe(200);
    expect(refundable.body.lines).toEqual([
      expect.objectContaining({
        invoiceId: `${programId}_${thisMonth}`,
        enrollmentId: worker.enrollmentId,
        endReason: 'deceased',
        endedOn: deathDay,
        amount: LINE,
      }),
    ]);

    // One death per person, whoever records it.
    await refused(() => report(), 409, 'death.exists');
    await refused(() => report({ dateOfDeath: addDays(deathDay, -1) }), 409, 'death.exists');
  });

  it('the JKM claim for that death links to the report and records no second death', async () => {
    await refused(() => deathClaim(addDays(deathDay, -1)), 422, 'claim.eventDate.reportedDeath', 'eventDate');
    const filed = await deathClaim(deathDay);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ eligible: true, reasons: [], coverageEnded: false });
    const claim = await ledger.get(`/api/claims/${filed.body.claimId}`, auditor);
    const [reported] = (await ledger.runtime.store.readStream(`claimguard-${worker.participantId}`)).filter(
      (e) => e.type === 'DeathReported',
    );
    expect(claim.body.deathReportId).toBe((reported.data as { reportId: string }).reportId);
    const enrollmentEvents = await ledger.runtime.store.readStream(`enrollment-${worker.enrollmentId}`);
    expect(enrollmentEvents.filter((e) => e.type === 'EnrollmentDeregistered')).toHaveLength(1);
    // And after the claim, a report of the death again is still the same death.
    await refused(() => report(), 409, 'death.exists');
  });

  it('the history and the audit trail show the report; the reporter’s name is nowhere in plain text', async () => {
    const token = await head();
    const history = await ledger.get(
      `/api/participants/${worker.participantId}/history?consistentWith=${token}`,
      auditor,
    );
    expect(history.status).toBe(200);
    expect(history.body.deathReport).toMatchObject({
      dateOfDeath: deathDay,
      reporterRelationship: 'village_officer',
      enrollmentId: worker.enrollmentId,
      coverageEnded: true,
      actor: { id: 'admin-muara-enim', role: 'program_admin' },
    });
    const audit = await ledger.get(
      `/api/audit?consistentWith=${token}&limit=1000&program=${programId}`,
      auditor,
    );
    const rows = (audit.body.entries as { action: string; regionCode: string | null }[]).filter(
      (e) => e.action === 'death.report',
    );
    expect(rows).toEqual([expect.objectContaining({ regionCode: EMBAWANG })]);
    const everything = JSON.stringify([
      history.body,
      audit.body,
      await ledger.runtime.store.readAll({ maxCount: 10_000 }),
    ]);
    expect(everything).not.toContain(REPORTER);
    expect(everything).not.toContain('081200001111');
  });
}

describe('SQLite e2e: death report', () => deathReportSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: death report',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => deathReportSuite('postgres'),
);
