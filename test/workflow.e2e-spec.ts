/**
 * The ledger's workflow over HTTP, in-process (test/support/ledger-app.ts), once on SQLite and
 * once on PostgreSQL: regions and baselines, programs, proposals, approvals, rejections,
 * deregistrations, idempotent commands, nomination imports (CSV and XLSX), erasure, and
 * read-your-writes with consistency tokens. Every case checks the status and the body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import {
  createPeopleGenerator,
  type PeopleGenerator,
  type SyntheticPerson,
} from '@ledger/ledger/participants/synthetic-people';
import {
  multipartFile,
  startLedgerApp,
  todayWib,
  XLSX_TYPE,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  nominationXlsx,
  PAGAR_DEWA,
  programBody,
  proposal,
  SAROLANGUN,
  TIMBULUN,
  type ProgramBody,
} from './support/ledger-fixtures';

const PROBLEM_JSON = /^application\/problem\+json/;
const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

/** A refusal as RFC 9457 problem details naming its rule. */
function expectProblem(response: ApiResponse, status: number, rule: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type: problemType(rule) });
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(response.body).toMatchObject({ status });
}

/** '1603**********01': the participant read model's mask keeps the regency and the last two digits. */
const maskedLikeLedger = (nik: string) => `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(-2)}`;

function workflowSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let people: PeopleGenerator;
  let admin: string;
  let foreignAdmin: string;
  let operator: string;
  let otherOperator: string;
  let sijunjungOperator: string;
  let auditor: string;
  let viewer: string;
  const period = currentPeriod();
  const year = Number(period.from.slice(0, 4));

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    // One generator for the whole suite: NIK serials restart per generator.
    people = createPeopleGenerator({ seed: 1603, today: todayWib() });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    foreignAdmin = await ledger.token('program_admin', [SAROLANGUN], 'admin-sarolangun');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    otherOperator = await ledger.token('village_operator', [PAGAR_DEWA], 'operator-pagar-dewa');
    sijunjungOperator = await ledger.token('village_operator', [TIMBULUN], 'operator-timbulun');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    viewer = await ledger.token('viewer', ['ID'], 'viewer');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const person = (
    request: { villageCode?: string; minAge?: number; maxAge?: number } = {},
  ): SyntheticPerson => people.next({ villageCode: EMBAWANG, ...request });

  async function establish(
    overrides: Partial<ProgramBody> = {},
    token = admin,
  ): Promise<{ id: string; token: number }> {
    const response = await ledger.post('/api/programs', token, programBody(overrides));
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      programId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      consistencyToken: expect.any(Number),
    });
    return { id: response.body.programId, token: response.body.consistencyToken };
  }

  async function program(id: string, consistentWith: number, token = admin) {
    const response = await ledger.get(`/api/programs/${id}?consistentWith=${consistentWith}`, token);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function propose(programId: string, who: SyntheticPerson, token = operator) {
    return ledger.post(`/api/programs/${programId}/enrollments`, token, proposal(who));
  }

  async function proposed(programId: string, who: SyntheticPerson, token = operator) {
    const response = await propose(programId, who, token);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      enrollmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      participantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'proposed',
      consistencyToken: expect.any(Number),
    });
    return response.body as { enrollmentId: string; participantId: string; consistencyToken: number };
  }

  describe('regions and operations', () => {
    it('GET /api/regions/1303 is Sijunjung: a regency in Sumatera Barat with its districts', async () => {
      const districts = readFileSync(join(__dirname, '../libs/ledger/src/regions/data/districts.csv'), 'utf8')
        .split('\n')
        .filter((line) => line.split(',')[1] === '1303').length;
      expect(districts).toBeGreaterThan(0);
      const response = await ledger.get('/api/regions/1303', viewer);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        code: '1303',
        name: 'Kabupaten Sijunjung',
        level: 'regency',
        kind: 'kabupaten',
        parents: [{ code: '13', name: 'Sumatera Barat', level: 'province' }],
        childrenCount: districts,
      });
    });

    it('an unknown region code is 404 region.unknown', async () => {
      expectProblem(await ledger.get('/api/regions/9999', viewer), 404, 'region.unknown');
      expectProblem(await ledger.get('/api/regions/abc', viewer), 404, 'region.unknown');
    });

    it('/health answers without a token; /api/programs without one is 401 with a Bearer challenge', async () => {
      const health = await ledger.get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        details: { eventStore: { status: 'up', kind: mode }, readDatabase: { status: 'up', dialect: mode } },
      });
      const anonymous = await ledger.get('/api/programs');
      expectProblem(anonymous, 401, 'auth.required');
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      expectProblem(await ledger.get('/api/programs', 'not-a-jwt'), 401, 'auth.invalid');
    });
  });

  describe('workforce baselines', () => {
    const baseline = {
      workingPopulation: 93_000,
      informalWorkers: 60_000,
      vulnerableWorkers: 48_838,
      source: 'BPS Sakernas Agustus 2025',
    };

    it('a program admin of Muara Enim sets the 2026 baseline and reads it back with the token', async () => {
      const put = await ledger.put('/api/regions/1603/baselines/2026', admin, baseline);
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ regionCode: '1603', year: 2026, consistencyToken: expect.any(Number) });
      const read = await ledger.get(
        `/api/regions/1603/baselines?consistentWith=${put.body.consistencyToken}`,
        admin,
      );
      expect(read.status).toBe(200);
      expect(read.body.regionCode).toBe('1603');
      expect(read.body.baselines).toHaveLength(1);
      expect(read.body.baselines[0]).toEqual({
        regionCode: '1603',
        year: 2026,
        workingPopulation: 93_000,
        informalWorkers: 60_000,
        vulnerableWorkers: 48_838,
        source: 'BPS Sakernas Agustus 2025',
        setBy: 'admin-muara-enim',
        setAt: expect.any(String),
      });
    });

    it('a token scoped to another regency (1503) is refused on both, 403 auth.scope', async () => {
      const put = await ledger.put('/api/regions/1603/baselines/2026', foreignAdmin, {
        ...baseline,
        workingPopulation: 1,
      });
      expectProblem(put, 403, 'auth.scope');
      expectProblem(await ledger.get('/api/regions/1603/baselines', foreignAdmin), 403, 'auth.scope');
      // Nothing was written by the refused request.
      const read = await ledger.get('/api/regions/1603/baselines', admin);
      expect(read.body.baselines.map((b: { workingPopulation: number }) => b.workingPopulation)).toEqual([
        93_000,
      ]);
    });
  });

  describe('programs', () => {
    it('JKK_JKM costs Rp16,800 a month and JKK_JKM_JHT Rp36,800 at the lowest declared income', async () => {
      const basic = await establish({
        name: 'Program JKK JKM Muara Enim',
        benefitPackage: 'JKK_JKM',
        quota: 500,
      });
      const withJht = await establish({
        name: 'Program JKK JKM JHT Muara Enim',
        benefitPackage: 'JKK_JKM_JHT',
        quota: 200,
      });
      const a = await program(basic.id, basic.token);
      expect(a).toMatchObject({
        id: basic.id,
        name: 'Program JKK JKM Muara Enim',
        ownerRegion: '1603',
        payer: 'Pemerintah Kabupaten Muara Enim',
        fundingSource: 'APBD',
        benefitPackage: 'JKK_JKM',
        declaredIncome: 1_000_000,
        monthlyContribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
        period,
        quota: 500,
        seatsInUse: 0,
        ageCap: 65,
        eligibleOccupations: null,
        budgetCeiling: null,
        status: 'open',
        closedOn: null,
      });
      const b = await program(withJht.id, withJht.token);
      expect(b.monthlyContribution).toEqual({ jkk: 10_000, jkm: 6_800, jht: 20_000, total: 36_800 });
      expect(b.quota).toBe(200);
    });

    it('an invalid body is 400 problem+json naming the field and the rule of every error', async () => {
      const response = await ledger.post('/api/programs', admin, {
        name: 'x',
        ownerRegion: '16030',
        fundingSource: 'KAS',
        benefitPackage: 'JKN',
        period: { from: `${year}-02-30`, to: 'besok' },
        quota: 0,
        ageCap: 120,
        unexpected: true,
      });
      expectProblem(response, 400, 'request.invalid');
      const pairs = (response.body.errors as { field: string; rule: string; message: string }[]).map(
        (e) => `${e.field}:${e.rule}`,
      );
      expect(pairs).toEqual(
        expect.arrayContaining([
          'name:isLength',
          'ownerRegion:matches',
          'payer:required',
          'fundingSource:isIn',
          'benefitPackage:isIn',
          'period.from:isCalendarDate',
          'period.to:isCalendarDate',
          'quota:min',
          'ageCap:max',
          'unexpected:whitelistValidation',
        ]),
      );
      for (const error of response.body.errors) expect(error.message).toEqual(expect.any(String));
    });

    it('a budget ceiling below quota × contribution × months is 422 program.budget', async () => {
      const months = 24; // the current period: this year and the next
      const needed = 100 * 16_800 * months;
      const response = await ledger.post(
        '/api/programs',
        admin,
        programBody({ quota: 100, budgetCeiling: needed - 1 }),
      );
      expectProblem(response, 422, 'program.budget');
      expect(response.body).toMatchObject({ rule: 'program.budget', needed, budgetCeiling: needed - 1 });
      // Exactly enough is accepted.
      await establish({ name: 'Program dengan pagu pas', quota: 100, budgetCeiling: needed });
    });

    it('a token outside the owner region can neither read nor establish the program (403)', async () => {
      const { id, token } = await establish({ name: 'Program lingkup Muara Enim' });
      await program(id, token);
      expectProblem(
        await ledger.get(`/api/programs/${id}?consistentWith=${token}`, foreignAdmin),
        403,
        'auth.scope',
      );
      expectProblem(await ledger.post('/api/programs', foreignAdmin, programBody()), 403, 'auth.scope');
      // Nor does it see the program in the list.
      const list = await ledger.get(`/api/programs?consistentWith=${token}`, foreignAdmin);
      expect(list.status).toBe(200);
      expect(list.body.programs.map((p: { id: string }) => p.id)).not.toContain(id);
      // A role that may not establish programs is refused by role.
      expectProblem(await ledger.post('/api/programs', operator, programBody()), 403, 'auth.role');
      expectProblem(await ledger.get('/api/programs/not-a-uuid', admin), 400, 'request.invalid');
    });

    it('amending quota and period shows in the program; a closed program takes no proposals (409 program.closed)', async () => {
      const { id } = await establish({ name: 'Program yang diubah lalu ditutup', quota: 10 });
      const quota = await ledger.post(`/api/programs/${id}/quota`, admin, {
        quota: 25,
        reason: 'APBD Perubahan',
      });
      expect(quota.status).toBe(201);
      expect(quota.body).toEqual({ programId: id, consistencyToken: expect.any(Number) });
      expect(await program(id, quota.body.consistencyToken)).toMatchObject({ quota: 25, period });

      const newPeriod = { from: `${year}-03-01`, to: `${year + 1}-06-30` };
      const amended = await ledger.post(`/api/programs/${id}/period`, admin, {
        ...newPeriod,
        reason: 'Perpanjangan',
      });
      expect(amended.status).toBe(201);
      expect(await program(id, amended.body.consistencyToken)).toMatchObject({
        quota: 25,
        period: newPeriod,
        status: 'open',
      });

      const reversed = await ledger.post(`/api/programs/${id}/period`, admin, {
        from: `${year}-06-01`,
        to: `${year}-05-01`,
      });
      expectProblem(reversed, 422, 'program.period.order');

      const closedOn = todayWib();
      const closed = await ledger.post(`/api/programs/${id}/closure`, admin, {
        closedOn,
        reason: 'Anggaran habis',
      });
      expect(closed.status).toBe(201);
      expect(await program(id, closed.body.consistencyToken)).toMatchObject({ status: 'closed', closedOn });

      const late = await propose(id, person());
      expectProblem(late, 409, 'program.closed');
      expect(late.body.rule).toBe('program.closed');
      expectProblem(
        await ledger.post(`/api/programs/${id}/quota`, admin, { quota: 30 }),
        409,
        'program.closed',
      );
      expectProblem(
        await ledger.post(`/api/programs/${id}/closure`, admin, { closedOn }),
        409,
        'program.closed',
      );
    });
  });

  describe('proposals', () => {
    let first: { id: string; token: number };
    let second: { id: string; token: number };

    beforeAll(async () => {
      first = await establish({ name: 'Program Pertama Muara Enim', quota: 50 });
      second = await establish({ name: 'Program Kedua Muara Enim', quota: 50 });
    });

    it('a village operator proposes a worker of their village (201), and the seat is taken', async () => {
      const worker = person();
      const created = await proposed(first.id, worker);
      const enrollment = await ledger.get(
        `/api/enrollments/${created.enrollmentId}?consistentWith=${created.consistencyToken}`,
        operator,
      );
      expect(enrollment.status).toBe(200);
      expect(enrollment.body).toEqual({
        id: created.enrollmentId,
        programId: first.id,
        programName: 'Program Pertama Muara Enim',
        participantId: created.participantId,
        villageCode: EMBAWANG,
        occupation: worker.occupation,
        status: 'proposed',
        proposedOn: todayWib(),
        coverage: null,
        endReason: null,
        rejectionReason: null,
        importId: null,
      });
      expect((await program(first.id, created.consistencyToken)).seatsInUse).toBe(1);
    });

    it('the same NIK in a second overlapping program is 409 participant.alreadyCovered naming the first', async () => {
      const worker = person();
      await proposed(first.id, worker);
      const again = await propose(second.id, worker);
      expectProblem(again, 409, 'participant.alreadyCovered');
      expect(again.body.rule).toBe('participant.alreadyCovered');
      expect(again.body.title).toContain('Program Pertama Muara Enim');
      expect(again.body.title).toContain(first.id);
      expect(again.body.errors).toEqual([
        { field: 'nik', rule: 'participant.alreadyCovered', message: expect.stringContaining(first.id) },
      ]);
      // The refusal does not echo the NIK.
      expect(again.text).not.toContain(worker.nik);
    });

    it('an invalid NIK is 422 with errors naming the NIK rule, without echoing the NIK', async () => {
      const worker = person();
      // Day 32 of month 13: not a birth date.
      const nik = `${worker.nik.slice(0, 6)}321390${worker.nik.slice(12)}`;
      const response = await ledger.post(`/api/programs/${first.id}/enrollments`, operator, {
        ...proposal(worker),
        nik,
      });
      expectProblem(response, 422, 'nik.date');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'nik', rule: 'nik.date' })]),
      );
      expect(response.text).not.toContain(nik);

      const shape = await ledger.post(`/api/programs/${first.id}/enrollments`, operator, {
        ...proposal(worker),
        nik: '12345',
      });
      expectProblem(shape, 400, 'request.invalid');
      expect(shape.body.errors).toEqual([expect.objectContaining({ field: 'nik', rule: 'matches' })]);
    });

    it('a village outside the program region is 422 enrollment.outsideRegion', async () => {
      // A national administrator reaches every program and every village: only the region rule refuses.
      const national = await ledger.token('program_admin', ['ID'], 'admin-national');
      const response = await propose(first.id, person({ villageCode: TIMBULUN }), national);
      expectProblem(response, 422, 'enrollment.outsideRegion');
      // An operator of that village does not reach the Muara Enim program at all.
      expectProblem(await propose(first.id, person({ villageCode: TIMBULUN }), sijunjungOperator), 403, 'auth.scope');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'villageCode', rule: 'enrollment.outsideRegion' }),
        ]),
      );
    });

    it('an operator of another village is refused, 403 auth.scope', async () => {
      const response = await propose(first.id, person(), otherOperator);
      expectProblem(response, 403, 'auth.scope');
      expect(response.body.region).toBe(EMBAWANG);
    });

    it('a worker above the age cap is 422 enrollment.ageCap', async () => {
      const response = await propose(first.id, person({ minAge: 70, maxAge: 80 }));
      expectProblem(response, 422, 'enrollment.ageCap');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'birthDate', rule: 'enrollment.ageCap' }),
      ]);
    });
  });

  describe('approval, rejection and deregistration', () => {
    let programId: string;

    beforeAll(async () => {
      programId = (await establish({ name: 'Program Persetujuan Muara Enim', quota: 20 })).id;
    });

    it('approval inside the period is 200 (outside: 422 coverage.outsidePeriod; twice: 409)', async () => {
      const { enrollmentId } = await proposed(programId, person());
      const outside = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
        coverageFrom: `${year + 2}-01-01`,
      });
      expectProblem(outside, 422, 'coverage.outsidePeriod');
      expect(outside.body.period).toEqual(period);

      const coverageFrom = `${year}-02-01`;
      const approved = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
        coverageFrom,
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toEqual({
        enrollmentId,
        status: 'approved',
        consistencyToken: expect.any(Number),
      });

      const read = await ledger.get(
        `/api/enrollments/${enrollmentId}?consistentWith=${approved.body.consistencyToken}`,
        admin,
      );
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: enrollmentId,
        status: 'approved',
        coverage: { from: coverageFrom, to: period.to },
      });

      // Operators may propose but not approve.
      expectProblem(
        await ledger.post(`/api/enrollments/${enrollmentId}/approval`, operator, { coverageFrom }),
        403,
        'auth.role',
      );

      const twice = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, { coverageFrom });
      expectProblem(twice, 409, 'enrollment.notProposed');
      expect(twice.body).toMatchObject({ rule: 'enrollment.notProposed', status: 409 });
    });

    it('rejection releases the seat (seatsInUse drops) and the NIK claim', async () => {
      const worker = person();
      const { enrollmentId, participantId, consistencyToken } = await proposed(programId, worker);
      const before = (await program(programId, consistencyToken)).seatsInUse;
      const rejected = await ledger.post(`/api/enrollments/${enrollmentId}/rejection`, admin, {
        reason: 'NIK tidak sesuai KK',
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toEqual({
        enrollmentId,
        status: 'rejected',
        consistencyToken: expect.any(Number),
      });
      expect((await program(programId, rejected.body.consistencyToken)).seatsInUse).toBe(before - 1);
      const read = await ledger.get(
        `/api/enrollments/${enrollmentId}?consistentWith=${rejected.body.consistencyToken}`,
        admin,
      );
      expect(read.body).toMatchObject({
        status: 'rejected',
        rejectionReason: 'NIK tidak sesuai KK',
        coverage: null,
      });
      // The released NIK can be proposed again, as the same participant.
      const retried = await proposed(programId, worker);
      expect(retried.participantId).toBe(participantId);
      expect(retried.enrollmentId).not.toBe(enrollmentId);
      expect((await program(programId, retried.consistencyToken)).seatsInUse).toBe(before);

      expectProblem(
        await ledger.post(`/api/enrollments/${enrollmentId}/rejection`, admin, { reason: 'sekali lagi' }),
        409,
        'enrollment.notProposed',
      );
    });

    it('deregistration: before the coverage start 422, then 200 with the coverage ending, then 409 enrollment.notActive', async () => {
      const { enrollmentId, consistencyToken } = await proposed(programId, person());
      const seatsBefore = (await program(programId, consistencyToken)).seatsInUse;
      const coverageFrom = `${year}-03-01`;
      const approved = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
        coverageFrom,
      });
      expect(approved.status).toBe(200);

      const early = await ledger.post(`/api/enrollments/${enrollmentId}/deregistration`, admin, {
        reason: 'deceased',
        effectiveDate: `${year}-02-28`,
      });
      expectProblem(early, 422, 'deregistration.beforeStart');

      const effectiveDate = `${year}-06-30`;
      const ended = await ledger.post(`/api/enrollments/${enrollmentId}/deregistration`, admin, {
        reason: 'deceased',
        effectiveDate,
        note: 'Akta kematian dari desa',
      });
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({
        enrollmentId,
        status: 'deregistered',
        consistencyToken: expect.any(Number),
      });

      const read = await ledger.get(
        `/api/enrollments/${enrollmentId}?consistentWith=${ended.body.consistencyToken}`,
        admin,
      );
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        status: 'deregistered',
        coverage: { from: coverageFrom, to: effectiveDate },
        endReason: 'deceased',
      });
      expect((await program(programId, ended.body.consistencyToken)).seatsInUse).toBe(seatsBefore - 1);

      const again = await ledger.post(`/api/enrollments/${enrollmentId}/deregistration`, admin, {
        reason: 'deceased',
        effectiveDate,
      });
      expectProblem(again, 409, 'enrollment.notActive');
    });
  });

  describe('Idempotency-Key', () => {
    it('the same key and body return the same result and establish one program; another body is 409', async () => {
      const name = `Program idempoten ${mode}`;
      const countOf = async (consistentWith?: number) => {
        const list = await ledger.get(
          `/api/programs${consistentWith ? `?consistentWith=${consistentWith}` : ''}`,
          admin,
        );
        expect(list.status).toBe(200);
        return {
          all: list.body.programs.length as number,
          named: (list.body.programs as { name: string }[]).filter((p) => p.name === name).length,
        };
      };
      const before = await countOf();
      const headers = { 'idempotency-key': `establish-${mode}-1` };
      const body = programBody({ name, quota: 40 });
      const first = await ledger.post('/api/programs', admin, body, headers);
      const second = await ledger.post('/api/programs', admin, body, headers);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(first.body).toEqual({ programId: expect.any(String), consistencyToken: expect.any(Number) });

      const after = await countOf(first.body.consistencyToken);
      expect(after).toEqual({ all: before.all + 1, named: 1 });

      const other = await ledger.post('/api/programs', admin, { ...body, quota: 41 }, headers);
      expectProblem(other, 409, 'idempotency.mismatch');
      expect(await countOf(first.body.consistencyToken)).toEqual(after);
    });
  });

  describe('nomination imports', () => {
    let programId: string;
    let workers: SyntheticPerson[];
    let csv: string;
    let importId: string;

    beforeAll(async () => {
      programId = (await establish({ name: 'Program Impor Muara Enim', quota: 100 })).id;
      workers = [person(), person(), person(), person()];
    });

    it('a ";" CSV with Indonesian headers: a duplicate NIK and an invalid row are reported, the rest accepted', async () => {
      const [a, b, c, d] = workers;
      const rows = [
        nominationRow(a),
        nominationRow(b),
        nominationRow(c),
        nominationRow({ ...b, name: 'Nama Lain Sama NIK' }),
        nominationRow(d),
      ];
      rows[4][2] = 'X'; // Jenis Kelamin neither L nor P
      csv = nominationCsv(rows);
      const response = await ledger.post(`/api/programs/${programId}/enrollments/import`, operator, csv, {
        'content-type': 'text/csv',
        'x-file-name': 'usulan-embawang.csv',
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        importId: expect.stringMatching(/^[0-9a-f]{32}$/),
        programId,
        status: 'completed',
        total: 5,
        accepted: 3,
        rejected: 2,
        repeated: false,
        consistencyToken: expect.any(Number),
        report: `/api/imports/${response.body.importId}/report`,
      });
      importId = response.body.importId;
      const token = response.body.consistencyToken;

      const status = await ledger.get(`/api/imports/${importId}?consistentWith=${token}`, operator);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        importId,
        programId,
        fileName: 'usulan-embawang.csv',
        format: 'csv',
        status: 'completed',
        total: 5,
        accepted: 3,
        rejected: 2,
        failure: null,
      });

      const report = await ledger.get(`/api/imports/${importId}/report?consistentWith=${token}`, operator);
      expect(report.status).toBe(200);
      expect(report.headers['content-type']).toMatch(/^text\/csv/);
      expect(report.text.startsWith('\uFEFF')).toBe(true);
      const [header, ...data] = parseCsv(report.text, { bom: true, delimiter: ';' }) as string[][];
      expect(header).toEqual(['Baris', 'Status', 'NIK (disamarkan)', 'Alasan', 'ID Pendaftaran']);
      expect(data).toHaveLength(5);
      expect(data.map((cells) => [cells[0], cells[1], cells[2]])).toEqual([
        ['2', 'Diterima', maskedLikeLedger(a.nik)],
        ['3', 'Diterima', maskedLikeLedger(b.nik)],
        ['4', 'Diterima', maskedLikeLedger(c.nik)],
        ['5', 'Ditolak', maskedLikeLedger(b.nik)],
        ['6', 'Ditolak', maskedLikeLedger(d.nik)],
      ]);
      expect(data[3][3]).toContain('[nik.duplicateInRequest]');
      expect(data[4][3]).toContain('[sex.invalid]');
      for (const cells of data.slice(0, 3)) expect(cells[4]).toMatch(/^[0-9a-f-]{36}$/);
      // Personal data stays out of the report: masked NIKs only, no names, no birth dates.
      expect(report.text).not.toMatch(/\d{16}/);
      for (const w of workers) {
        expect(report.text).not.toContain(w.nik);
        expect(report.text).not.toContain(w.name);
      }
      expect(report.text).not.toContain('Nama Lain Sama NIK');

      const json = await ledger.get(
        `/api/imports/${importId}/report?format=json&consistentWith=${token}`,
        operator,
      );
      expect(json.status).toBe(200);
      expect(
        json.body.rows.map((r: { rowNumber: number; status: string }) => [r.rowNumber, r.status]),
      ).toEqual([
        [2, 'accepted'],
        [3, 'accepted'],
        [4, 'accepted'],
        [5, 'rejected'],
        [6, 'rejected'],
      ]);
      expect((await program(programId, token)).seatsInUse).toBe(3);
    });

    it('the same file again is the same import: repeated, and nothing is written', async () => {
      const projectionsBefore = await ledger.get('/api/projections', admin);
      expect(projectionsBefore.status).toBe(200);
      const again = await ledger.post(`/api/programs/${programId}/enrollments/import`, operator, csv, {
        'content-type': 'text/csv',
        'x-file-name': 'usulan-embawang (1).csv',
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        importId,
        programId,
        status: 'completed',
        total: 5,
        accepted: 3,
        rejected: 2,
        repeated: true,
      });
      const projectionsAfter = await ledger.get('/api/projections', admin);
      expect(projectionsAfter.body.head).toBe(projectionsBefore.body.head);
      expect(again.body.consistencyToken).toBeLessThanOrEqual(projectionsAfter.body.head);
    });

    it('an XLSX upload (multipart) imports too', async () => {
      const [e, f] = [person({ villageCode: PAGAR_DEWA }), person()];
      const xlsx = await nominationXlsx([nominationRow(e), nominationRow(f)]);
      const { payload, headers } = multipartFile('usulan.xlsx', XLSX_TYPE, xlsx);
      const response = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
        token: admin,
        payload,
        headers,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        programId,
        status: 'completed',
        total: 2,
        accepted: 2,
        rejected: 0,
        repeated: false,
      });
      const status = await ledger.get(
        `/api/imports/${response.body.importId}?consistentWith=${response.body.consistencyToken}`,
        admin,
      );
      expect(status.body).toMatchObject({ fileName: 'usulan.xlsx', format: 'xlsx', total: 2, accepted: 2 });
      expect((await program(programId, response.body.consistencyToken)).seatsInUse).toBe(5);
    });

    it('POST /api/imports/:id/approval approves the accepted rows of the import', async () => {
      const coverageFrom = `${year}-04-01`;
      const approval = await ledger.post(`/api/imports/${importId}/approval`, admin, { coverageFrom });
      expect(approval.status).toBe(200);
      expect(approval.body).toEqual({ approved: 3, refused: [], consistencyToken: expect.any(Number) });
      const report = await ledger.get(`/api/imports/${importId}/report?format=json`, admin);
      const accepted = (report.body.rows as { status: string; enrollmentId?: string }[]).filter(
        (r) => r.status === 'accepted',
      );
      expect(accepted).toHaveLength(3);
      for (const row of accepted) {
        const enrollment = await ledger.get(
          `/api/enrollments/${row.enrollmentId}?consistentWith=${approval.body.consistencyToken}`,
          admin,
        );
        expect(enrollment.body).toMatchObject({
          status: 'approved',
          importId,
          coverage: { from: coverageFrom, to: period.to },
        });
      }
      // Approving again finds nothing left to approve.
      const again = await ledger.post(`/api/imports/${importId}/approval`, admin, { coverageFrom });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ approved: 0, refused: [] });
    });
  });

  describe('erasure', () => {
    it('auditors see the full NIK and admins a masked one; after erasure only the coverage remains', async () => {
      const { id: programId } = await establish({ name: 'Program Penghapusan Data', quota: 5 });
      const worker = person();
      const { enrollmentId, participantId } = await proposed(programId, worker);
      const coverageFrom = `${year}-05-01`;
      const approved = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
        coverageFrom,
      });
      expect(approved.status).toBe(200);
      const token = approved.body.consistencyToken;

      const audited = await ledger.get(`/api/participants/${participantId}?consistentWith=${token}`, auditor);
      expect(audited.status).toBe(200);
      expect(audited.body).toMatchObject({
        id: participantId,
        status: 'active',
        personal: { nik: worker.nik, name: worker.name, birthDate: worker.birthDate, phone: worker.phone },
        sex: worker.sex,
        birthYear: Number(worker.birthDate.slice(0, 4)),
        villageCode: EMBAWANG,
        erasedOn: null,
      });

      const masked = await ledger.get(`/api/participants/${participantId}?consistentWith=${token}`, admin);
      expect(masked.status).toBe(200);
      expect(masked.body.personal).toEqual({
        nik: maskedLikeLedger(worker.nik),
        name: expect.any(String),
        birthDate: `${worker.birthDate.slice(0, 4)}-**-**`,
        phone: `${worker.phone.slice(0, 4)}******`,
      });
      expect(masked.text).not.toContain(worker.nik);
      expect(masked.body.personal.name).not.toBe(worker.name);
      expect(masked.body.personal.name[0]).toBe(worker.name[0]);

      const erased = await ledger.post(`/api/participants/${participantId}/erasure`, admin, {
        reason: 'Permintaan subjek data',
      });
      expect(erased.status).toBe(200);
      expect(erased.body).toEqual({ participantId, erased: true, consistencyToken: expect.any(Number) });

      for (const who of [auditor, admin]) {
        const after = await ledger.get(
          `/api/participants/${participantId}?consistentWith=${erased.body.consistencyToken}`,
          who,
        );
        expect(after.status).toBe(200);
        expect(after.body).toMatchObject({
          id: participantId,
          status: 'erased',
          personal: 'erased',
          villageCode: EMBAWANG,
          erasedOn: todayWib(),
          enrollments: [
            { enrollmentId, programId, status: 'approved', coverageFrom, endedOn: null, endReason: null },
          ],
        });
        expect(after.text).not.toContain(worker.nik);
        expect(after.text).not.toContain(worker.name);
      }
      const enrollment = await ledger.get(`/api/enrollments/${enrollmentId}`, admin);
      expect(enrollment.body).toMatchObject({
        status: 'approved',
        coverage: { from: coverageFrom, to: period.to },
      });
      expect((await program(programId, erased.body.consistencyToken)).seatsInUse).toBe(1);
    });
  });

  describe('consistentWith', () => {
    it('a token the log has not reached is 503 consistency.timeout after the configured wait', async () => {
      const head = (await ledger.get('/api/projections', admin)).body.head as number;
      const started = Date.now();
      const response = await ledger.get(`/api/programs?consistentWith=${head + 1_000_000}`, admin);
      const waited = Date.now() - started;
      expectProblem(response, 503, 'consistency.timeout');
      expect(response.body).toMatchObject({
        consistentWith: head + 1_000_000,
        positions: { programs: expect.any(Number) },
      });
      expect(waited).toBeGreaterThanOrEqual(250);
    });

    it('a malformed token is 400 naming consistentWith', async () => {
      const response = await ledger.get('/api/programs?consistentWith=abc', admin);
      expectProblem(response, 400, 'request.invalid');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'consistentWith', rule: 'isInt' }),
      ]);
    });
  });
}

describe('SQLite e2e: workflow over HTTP', () => workflowSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: workflow over HTTP',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => workflowSuite('postgres'),
);
