/**
 * The claims read side over HTTP, once on SQLite and once on PostgreSQL: the claims report
 * (counts and amounts by regency, program, kind, status and month; days from death or
 * accident to payment, median and p90, per regency) in JSON, CSV and XLSX, scoped to the
 * caller's regions; and the participant history's claims with their steps, never the heirs.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addDays, maxDate, minDate } from '@ledger/ledger/shared/dates';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  SIJUNJUNG,
  TIMBULUN,
  currentPeriod,
  programBody,
  proposal,
} from './support/ledger-fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const heir = {
  name: 'Rahmawati Saputri',
  nik: '1603014508850077',
  relationship: 'spouse',
  bankName: 'Bank Sumsel Babel',
  accountNumber: '5551234567890',
  phone: '081299990000',
};
const deathDocuments = (on: string) =>
  ['participant_card', 'id_cards', 'death_certificate', 'family_card', 'heirs_certificate', 'bank_book'].map(
    (type, i) => ({ type, number: `DOC-${i + 1}`, issuedOn: on }),
  );
const accidentDocuments = (on: string) =>
  ['participant_card', 'id_cards', 'accident_report', 'doctors_letter', 'bank_book'].map((type, i) => ({
    type,
    number: `JKK-${i + 1}`,
    issuedOn: on,
  }));
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

function claimsReportSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let adminSijunjung: string;
  let viewer: string;
  let programId: string;
  let sijunjungProgram: string;
  const today = todayWib();
  const period = currentPeriod();
  const deathDay = maxDate(addDays(today, -5), period.from);
  const year = Number(deathDay.slice(0, 4));
  // Three payments 0, 1 and 3 days after the death (never after today).
  const paidOn = [0, 1, 3].map((k) => minDate(addDays(deathDay, k), today));
  const workers: { participantId: string; enrollmentId: string }[] = [];
  const late = { participantId: '', enrollmentId: '' };
  let token = 0;
  /** The log position once the first death claim was approved, before any was paid. */
  let firstApproved = 0;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    adminSijunjung = await ledger.token('program_admin', [SIJUNJUNG], 'admin-sijunjung');
    viewer = await ledger.token('viewer', [MUARA_ENIM], 'pemantau-muara-enim');
    const finance = await ledger.token('finance', [MUARA_ENIM, SIJUNJUNG], 'keuangan');
    const program = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Klaim Muara Enim', period }),
    );
    expect(program.status).toBe(201);
    programId = program.body.programId;
    const other = await ledger.post(
      '/api/programs',
      adminSijunjung,
      programBody({
        name: 'Klaim Sijunjung',
        ownerRegion: SIJUNJUNG,
        payer: 'Pemerintah Kabupaten Sijunjung',
        period,
      }),
    );
    expect(other.status).toBe(201);
    sijunjungProgram = other.body.programId;
    const people = createPeopleGenerator({ seed: 61, today });
    const enrol = async (program: string, village: string, by: string, coverageFrom: string) => {
      const person = people.next({ villageCode: village, maxAge: 50 });
      const proposed = await ledger.post(`/api/programs/${program}/enrollments`, by, proposal(person));
      expect(proposed.status).toBe(201);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, by, {
        coverageFrom,
      });
      expect(approved.status).toBe(200);
      return proposed.body as { participantId: string; enrollmentId: string };
    };
    for (let i = 0; i < 3; i++) workers.push(await enrol(programId, EMBAWANG, admin, period.from));
    Object.assign(late, await enrol(programId, EMBAWANG, admin, addDays(deathDay, 2)));
    const injured = await enrol(sijunjungProgram, TIMBULUN, adminSijunjung, period.from);

    const step = async (claimId: string, path: string, body: Record<string, unknown>, by = admin) => {
      const r = await ledger.post(`/api/claims/${claimId}/${path}`, by, body);
      expect(r.status).toBe(200);
      token = Math.max(token, r.body.consistencyToken);
      return r;
    };
    for (const [i, w] of workers.entries()) {
      const filed = await ledger.post(`/api/participants/${w.participantId}/claims`, admin, {
        enrollmentId: w.enrollmentId,
        kind: 'JKM',
        benefit: 'death',
        eventDate: deathDay,
        reportedOn: today,
        heirs: [heir],
      });
      expect(filed.body).toMatchObject({ eligible: true });
      await step(filed.body.claimId, 'documents', { documents: deathDocuments(deathDay) });
      await step(filed.body.claimId, 'submission', { on: today });
      const approval = await step(filed.body.claimId, 'approval', { on: today });
      if (i === 0) firstApproved = approval.body.consistencyToken;
      await step(filed.body.claimId, 'payment', { paidOn: paidOn[i], reference: `TRF-${i}` }, finance);
    }
    const lapsed = await ledger.post(`/api/participants/${late.participantId}/claims`, admin, {
      enrollmentId: late.enrollmentId,
      kind: 'JKM',
      benefit: 'death',
      eventDate: deathDay,
      reportedOn: today,
      heirs: [heir],
    });
    expect(lapsed.body).toMatchObject({ eligible: false, reasons: ['not_covered_on_event_date'] });
    await step(lapsed.body.claimId, 'rejection', { code: 'not_covered_on_event_date' });
    const accident = await ledger.post(`/api/participants/${injured.participantId}/claims`, adminSijunjung, {
      enrollmentId: injured.enrollmentId,
      kind: 'JKK',
      benefit: 'medical',
      eventDate: deathDay,
      reportedOn: today,
      heirs: [],
    });
    expect(accident.status).toBe(201);
    await step(
      accident.body.claimId,
      'documents',
      { documents: accidentDocuments(deathDay) },
      adminSijunjung,
    );
    await step(accident.body.claimId, 'submission', {}, adminSijunjung);
    await step(accident.body.claimId, 'approval', { approvedAmount: 7_500_000 }, adminSijunjung);
  }, 180_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('counts and amounts by regency, program, kind, status and month, and days to payment per regency', async () => {
    const response = await ledger.get(
      `/api/claims/report?region=${MUARA_ENIM}&year=${year}&consistentWith=${token}`,
      viewer,
    );
    expect(response.status).toBe(200);
    const month = deathDay.slice(0, 7);
    expect(response.body.groups).toEqual([
      {
        regency: MUARA_ENIM,
        programId,
        kind: 'JKM',
        status: 'paid',
        month,
        claims: 3,
        amount: 126_000_000,
        paidAmount: 126_000_000,
      },
      {
        regency: MUARA_ENIM,
        programId,
        kind: 'JKM',
        status: 'rejected',
        month,
        claims: 1,
        amount: 0,
        paidAmount: 0,
      },
    ]);
    expect(response.body.totals).toEqual({ claims: 4, amount: 126_000_000, paidAmount: 126_000_000 });
    const delays = paidOn.map((d) => days(deathDay, d)).sort((a, b) => a - b);
    expect(response.body.paymentDelay).toEqual([
      { regency: MUARA_ENIM, paidClaims: 3, medianDays: delays[1], p90Days: delays[2] },
    ]);
    expect(JSON.stringify(response.body)).not.toContain(heir.nik);

    // Another regency's claims are its own; filters narrow; another year is empty.
    const sijunjung = await ledger.get(`/api/claims/report?region=${SIJUNJUNG}&kind=JKK`, adminSijunjung);
    expect(sijunjung.body.groups).toEqual([
      expect.objectContaining({
        regency: SIJUNJUNG,
        programId: sijunjungProgram,
        status: 'approved',
        amount: 7_500_000,
      }),
    ]);
    expect(sijunjung.body.paymentDelay).toEqual([]);
    expect(
      (await ledger.get(`/api/claims/report?region=${MUARA_ENIM}&kind=JKK`, viewer)).body.groups,
    ).toEqual([]);
    expect(
      (await ledger.get(`/api/claims/report?region=${MUARA_ENIM}&year=${year - 1}`, viewer)).body.totals,
    ).toEqual({ claims: 0, amount: 0, paidAmount: 0 });
  });

  it('as of a day and as the ledger knew it: each claim after its steps in effect by the day, recorded by knownAt', async () => {
    const report = (query: string) => ledger.get(`/api/claims/report?region=${MUARA_ENIM}&${query}`, viewer);
    const live = (await report(`consistentWith=${token}`)).body;
    // Known at the head, or on today (every step dated by it), the report is the live one.
    const atHead = await report(`knownAt=${token}`);
    expect(atHead.status).toBe(200);
    const { knownAt, ...rest } = atHead.body;
    expect([knownAt, rest]).toEqual([token, live]);
    const { asOf, ...onToday } = (await report(`asOf=${today}`)).body;
    expect([asOf, onToday]).toEqual([today, live]);
    // The claims were reported today: on an earlier day there were none.
    expect((await report(`asOf=${addDays(today, -1)}`)).body.totals).toEqual({
      claims: 0,
      amount: 0,
      paidAmount: 0,
    });
    // As the ledger knew it when the first claim had been approved: that claim only, not paid.
    const early = (await report(`knownAt=${firstApproved}`)).body;
    expect(early.groups).toEqual([
      {
        regency: MUARA_ENIM,
        programId,
        kind: 'JKM',
        status: 'approved',
        month: deathDay.slice(0, 7),
        claims: 1,
        amount: 42_000_000,
        paidAmount: 0,
      },
    ]);
    expect(early.paymentDelay).toEqual([]);
    expect((await report('knownAt=0')).body.totals.claims).toBe(0);
    const csv = await report(`knownAt=${firstApproved}&format=csv`);
    expect(String(csv.headers['content-disposition'])).toContain(`posisi-${firstApproved}`);
    for (const [query, field] of [
      ['knownAt=kemarin', 'knownAt'],
      [`knownAt=${token + 1000}`, 'knownAt'],
      ['asOf=2025-02-30', 'asOf'],
    ]) {
      const refused = await report(query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('answers CSV and XLSX, and refuses another region and bad filters with a problem naming the field', async () => {
    const csv = await ledger.get(`/api/claims/report?region=${MUARA_ENIM}&format=csv`, viewer);
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
    expect(csv.text).toContain('Kabupaten/kota');
    expect(csv.text).toContain(MUARA_ENIM);
    const delays = await ledger.get(`/api/claims/report?region=${MUARA_ENIM}&format=csv&sheet=2`, viewer);
    expect(delays.text).toContain('Median hari kejadian s.d. bayar');
    const xlsx = await ledger.get(`/api/claims/report?region=${MUARA_ENIM}&format=xlsx`, viewer);
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toBe(XLSX);

    const scope = await ledger.get(`/api/claims/report?region=${SIJUNJUNG}`, viewer);
    expect(scope.status).toBe(403);
    for (const [query, field] of [
      [`region=${MUARA_ENIM}&year=20x6`, 'year'],
      [`region=${MUARA_ENIM}&year=1999`, 'year'],
      [`region=${MUARA_ENIM}&kind=JKN`, 'kind'],
      [`region=16030`, 'region'],
      [`region=${MUARA_ENIM}&program=abc`, 'program'],
    ]) {
      const bad = await ledger.get(`/api/claims/report?${query}`, viewer);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('the participant history shows the claims and their steps, amounts, days and actors, never the heirs', async () => {
    const history = await ledger.get(`/api/participants/${workers[0].participantId}/history`, viewer);
    expect(history.status).toBe(200);
    expect(history.body.events.length).toBeGreaterThan(0);
    expect(history.body.claims).toEqual([
      expect.objectContaining({
        kind: 'JKM',
        benefit: 'death',
        status: 'paid',
        eventDate: deathDay,
        eligible: true,
        heirCount: 1,
        amount: 42_000_000,
        paidAmount: 42_000_000,
        paidOn: paidOn[0],
      }),
    ]);
    const steps = history.body.claims[0].steps as { type: string; on: string; actor: { id: string } }[];
    expect(steps.map((s) => [s.type, s.actor.id])).toEqual([
      ['ClaimFiled', 'admin-muara-enim'],
      ['ClaimDocumentsCompleted', 'admin-muara-enim'],
      ['ClaimSubmitted', 'admin-muara-enim'],
      ['ClaimApproved', 'admin-muara-enim'],
      ['ClaimPaid', 'keuangan'],
    ]);
    expect(steps[4].on).toBe(paidOn[0]);
    const lapsed = await ledger.get(`/api/participants/${late.participantId}/history`, admin);
    expect(lapsed.body.claims).toEqual([
      expect.objectContaining({
        status: 'rejected',
        eligible: false,
        reasons: ['not_covered_on_event_date'],
      }),
    ]);
    expect(lapsed.body.claims[0].steps[1].details).toMatchObject({ code: 'not_covered_on_event_date' });

    const csv = await ledger.get(
      `/api/participants/${workers[0].participantId}/history?format=csv&sheet=Klaim`,
      admin,
    );
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('ClaimPaid');
    for (const text of [JSON.stringify(history.body), JSON.stringify(lapsed.body), csv.text]) {
      expect(text).not.toContain(heir.nik);
      expect(text).not.toContain(heir.name);
      expect(text).not.toContain(heir.accountNumber);
      expect(text).not.toContain(heir.phone);
    }
  });
}

describe('SQLite e2e: claims report and history', () => claimsReportSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: claims report and history',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => claimsReportSuite('postgres'),
);
