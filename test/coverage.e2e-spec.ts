/**
 * Coverage reports over HTTP (GET /api/coverage, /api/coverage/series, /api/rankings,
 * /api/programs/:id/summary), once on SQLite and once on PostgreSQL, against a ledger
 * written through the command handlers (test/support/coverage-ledger.ts). Every answer is
 * compared whole with what an independent in-test model of that ledger says; a few numbers
 * are also worked out by hand so that the model itself is checked.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { labelOf } from '@ledger/read-models/exports/spreadsheet';
import {
  startLedgerApp,
  XLSX_TYPE,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  AGE_BAND_KEYS,
  buildCoverageLedger,
  childrenOf,
  EMPTY_VILLAGE,
  expectedCoverage,
  expectedProgramSummary,
  expectedRanking,
  expectedSeries,
  MUARA_ENIM,
  OKU,
  PALI,
  SAROLANGUN,
  settle,
  V,
  type CoverageModel,
  type ProgramKey,
} from './support/coverage-ledger';

/** The coverage table's columns: the ledger's own, then the participants outside it and UCJ. */
const REGION_HEADERS = [
  'Kode',
  'Nama',
  'Tingkat',
  'Peserta aktif',
  'Penduduk bekerja',
  'Cakupan (%)',
  'Peserta di luar program',
  'Tanggal data di luar program',
  'Sumber data di luar program',
  'UCJ (%)',
];
const PROBLEM_JSON = /^application\/problem\+json/;
const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectProblem(response: ApiResponse, status: number, rule: string, field?: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type: problemType(rule) });
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  if (field !== undefined) {
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  }
}

/** Every level: national, provinces, regencies, districts, villages (with and without anyone). */
const REGIONS = [
  'ID',
  '15',
  '16',
  '13',
  MUARA_ENIM,
  PALI,
  SAROLANGUN,
  OKU,
  '160301',
  '160302',
  '160304',
  '161201',
  '161203',
  '150303',
  '150309',
  ...Object.values(V),
  EMPTY_VILLAGE,
];

/**
 * Before any coverage; coverage start days (B 2025-08-01, C/D 2026-01-15, F 2026-03-01 …);
 * deregistration days and the days after (2025-11-10, 2026-02-20, 2026-03-01, 2026-04-30,
 * 2026-05-31); B's last day and the day after (2026-03-31); C's closing day and the day
 * after (2026-04-15); the end of every 2026 program and the day after.
 */
const DATES = [
  '2025-06-30',
  '2025-08-01',
  '2025-10-02',
  '2025-11-10',
  '2025-11-11',
  '2026-01-14',
  '2026-01-15',
  '2026-02-20',
  '2026-02-21',
  '2026-03-01',
  '2026-03-02',
  '2026-03-09',
  '2026-03-10',
  '2026-03-15',
  '2026-03-31',
  '2026-04-01',
  '2026-04-15',
  '2026-04-16',
  '2026-04-30',
  '2026-05-01',
  '2026-05-31',
  '2026-06-01',
  '2026-12-31',
  '2027-01-01',
];

/** Days around proposals, approvals, rejections, coverage starts, deregistrations and ends. */
const SUMMARY_DATES = [
  '2025-07-09',
  '2025-07-10',
  '2025-07-20',
  '2025-07-31',
  '2025-08-01',
  '2025-09-25',
  '2025-10-01',
  '2025-10-04',
  '2025-10-05',
  '2025-11-10',
  '2025-11-11',
  '2025-12-09',
  '2025-12-10',
  '2025-12-15',
  '2025-12-20',
  '2025-12-22',
  '2025-12-31',
  '2026-01-01',
  '2026-01-05',
  '2026-01-10',
  '2026-01-14',
  '2026-01-15',
  '2026-01-20',
  '2026-01-25',
  '2026-01-28',
  '2026-02-01',
  '2026-02-05',
  '2026-02-12',
  '2026-02-20',
  '2026-02-21',
  '2026-02-25',
  '2026-03-01',
  '2026-03-02',
  '2026-03-05',
  '2026-03-08',
  '2026-03-09',
  '2026-03-10',
  '2026-03-12',
  '2026-03-15',
  '2026-03-20',
  '2026-03-31',
  '2026-04-01',
  '2026-04-15',
  '2026-04-16',
  '2026-04-30',
  '2026-05-01',
  '2026-05-31',
  '2026-06-01',
  '2026-12-31',
  '2027-01-01',
];

const RANKING_DATES = ['2025-10-15', '2026-01-31', '2026-02-15', '2026-03-15', '2026-03-31', '2026-04-16'];

function coverageSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let model: CoverageModel;
  let viewer: string;
  let sarolangun: string;
  let muaraEnim: string;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    model = await buildCoverageLedger(ledger.runtime);
    await settle(ledger.runtime, model.lastToken);
    viewer = await ledger.token('viewer', ['ID'], 'viewer-national');
    sarolangun = await ledger.token('viewer', [SAROLANGUN], 'viewer-sarolangun');
    muaraEnim = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const get = async (url: string, token = viewer) => ledger.get(url, token);
  const coverage = async (region: string, date: string) => {
    const response = await get(`/api/coverage?${region === 'ID' ? '' : `region=${region}&`}date=${date}`);
    expect({ url: response.status === 200 ? 'ok' : response.text }).toEqual({ url: 'ok' });
    return response.body;
  };
  const byKey = (items: { key: string; active: number }[]) =>
    Object.fromEntries(items.map((i) => [i.key, i.active]));
  const programOf = (key: ProgramKey) => model.programs[key];

  describe('the ledger under test', () => {
    it('has people of both sexes, many occupations and every age band in 2026', () => {
      const approved = model.enrollments.filter((e) => e.from !== null);
      expect(new Set(approved.map((e) => e.sex))).toEqual(new Set(['L', 'P']));
      expect(new Set(approved.map((e) => e.occupation)).size).toBeGreaterThanOrEqual(10);
      const bands = new Set(
        approved.map((e) => {
          const age = 2026 - e.birthYear;
          return age < 25 ? '<25' : age >= 65 ? '65+' : `${Math.floor((age - 25) / 10) * 10 + 25}`;
        }),
      );
      expect(bands.size).toBe(AGE_BAND_KEYS.length);
    });

    it('hand-worked numbers agree with the API (and so with the model)', async () => {
      // Nobody is covered before B's first coverage day.
      const before = await coverage('ID', '2025-06-30');
      expect(before).toMatchObject({ active: 0, byProgram: [], byPayer: [], bySex: [], byOccupation: [] });
      expect(before.byAgeBand).toEqual(AGE_BAND_KEYS.map((key) => ({ key, active: 0 })));
      expect(before.coverage).toMatchObject({
        ofWorkingPopulation: null,
        denominator: null,
        note: expect.stringContaining('Indonesia tahun 2025'),
      });

      // 2026-03-15: Muara Enim 13 of 1,300 and PALI 4 of 400 — both exactly 1 %.
      const me = await coverage(MUARA_ENIM, '2026-03-15');
      expect(me.active).toBe(13);
      expect(me.coverage).toEqual({
        ofWorkingPopulation: 1,
        ofVulnerableWorkers: 2,
        denominator: 1300,
        source: 'BPS Muara Enim 2025',
        note: null,
      });
      expect(byKey(me.byPayer)).toEqual({
        'Pemerintah Kabupaten Muara Enim': 8, // A 6 + F 2: one payer, two programs
        'Pemerintah Provinsi Sumatera Selatan': 3,
        'Pemerintah Desa Embawang': 2,
      });
      expect(byKey(me.byFundingSource)).toEqual({ APBD: 9, DANA_DESA: 2, APBD_P: 2 });
      const pali = await coverage(PALI, '2026-03-15');
      expect(pali.active).toBe(4);
      expect(pali.coverage.ofWorkingPopulation).toBe(1);
      expect(pali.coverage.ofVulnerableWorkers).toBeNull();
      // Sarolangun: d1 d2 d3 and the two imported from 2026-03-10: 5 of 600.
      expect((await coverage(SAROLANGUN, '2026-03-15')).coverage.ofWorkingPopulation).toBe(0.83);
      expect((await coverage(SAROLANGUN, '2026-03-09')).coverage.ofWorkingPopulation).toBe(0.5);

      // A's quota was amended to 25: 6 active in Muara Enim use 24 % of it.
      expect(me.byProgram.find((p: { programId: string }) => p.programId === programOf('A').id)).toEqual({
        programId: programOf('A').id,
        name: programOf('A').name,
        payer: 'Pemerintah Kabupaten Muara Enim',
        fundingSource: 'APBD',
        active: 6,
        quota: 25,
        quotaUse: 24,
      });

      // A deregistration's effective date is the last covered day.
      expect((await coverage(V.pagarDewa, '2026-02-20')).active).toBe(1);
      expect((await coverage(V.pagarDewa, '2026-02-21')).active).toBe(0);
      expect((await coverage(V.purun, '2026-02-20')).active).toBe(2);
      expect((await coverage(V.purun, '2026-02-21')).active).toBe(1);
      // d4 is covered one day only (start = deregistration day).
      expect((await coverage(V.bukitTigo, '2026-03-01')).active).toBe(2);
      expect((await coverage(V.bukitTigo, '2026-03-02')).active).toBe(1);

      // B ends on 2026-03-31 with 4 still covered; C was closed on 2026-04-15 with 3.
      const programCount = (body: { byProgram: { programId: string; active: number }[] }, key: ProgramKey) =>
        body.byProgram.find((p) => p.programId === programOf(key).id)?.active ?? 0;
      expect(programCount(await coverage('ID', '2026-03-31'), 'B')).toBe(4);
      expect(programCount(await coverage('ID', '2026-04-01'), 'B')).toBe(0);
      expect(programCount(await coverage('ID', '2026-04-15'), 'C')).toBe(3);
      expect(programCount(await coverage('ID', '2026-04-16'), 'C')).toBe(0);
      expect((await coverage('ID', '2027-01-01')).active).toBe(0);
    });
  });

  describe('GET /api/coverage at every level', () => {
    it.each(DATES)(
      'on %s: national, provinces, regencies, districts and villages match the model',
      async (date) => {
        for (const region of REGIONS) {
          const url =
            region === 'ID' ? `/api/coverage?date=${date}` : `/api/coverage?region=${region}&date=${date}`;
          const response = await get(url);
          expect({ region, date, status: response.status, body: response.body }).toEqual({
            region,
            date,
            status: 200,
            body: expectedCoverage(model, region, date),
          });
        }
      },
    );

    it('?region=ID is the national answer; the below list of a province lists its regencies', async () => {
      const explicit = await get('/api/coverage?region=ID&date=2026-03-15');
      const implicit = await get('/api/coverage?date=2026-03-15');
      expect(explicit.status).toBe(200);
      expect(explicit.body).toEqual(implicit.body);
      expect(explicit.body.below).toHaveLength(childrenOf('ID').length);
      const south = await coverage('16', '2026-03-15');
      expect(south.below.map((b: { code: string }) => b.code)).toEqual(childrenOf('16'));
      expect(south.below.find((b: { code: string }) => b.code === OKU)).toEqual({
        code: OKU,
        name: 'Kabupaten Ogan Komering Ulu',
        level: 'regency',
        active: 0,
        workingPopulation: 5000,
        coverage: 0,
        outsideParticipants: null,
        outsideAsOf: null,
        outsideSource: null,
        ucj: null,
      });
      // A village has nothing below it.
      expect((await coverage(V.embawang, '2026-03-15')).below).toEqual([]);
    });

    it('a region without a baseline for the year has null percentages and a note', async () => {
      const jambi = await coverage('15', '2026-03-15');
      expect(jambi.active).toBe(5);
      expect(jambi.baseline).toBeNull();
      expect(jambi.coverage).toEqual({
        ofWorkingPopulation: null,
        ofVulnerableWorkers: null,
        denominator: null,
        source: null,
        note: expect.stringContaining('Jambi tahun 2026'),
      });
      // Jambi has a 2025 baseline only.
      const jambi2025 = await coverage('15', '2025-12-31');
      expect(jambi2025.baseline).toEqual({
        year: 2025,
        workingPopulation: 7000,
        informalWorkers: null,
        vulnerableWorkers: null,
        source: 'BPS Jambi 2024',
      });
      expect(jambi2025.coverage).toMatchObject({
        ofWorkingPopulation: 0,
        ofVulnerableWorkers: null,
        note: null,
      });
    });
  });

  describe('GET /api/coverage/series', () => {
    it('month ends across the year boundary, with each year’s baseline', async () => {
      for (const region of ['ID', '16', '15', MUARA_ENIM, PALI, SAROLANGUN, V.embawang]) {
        const from = '2025-06-15';
        const to = '2026-06-10';
        const response = await get(
          `/api/coverage/series?${region === 'ID' ? '' : `region=${region}&`}from=${from}&to=${to}`,
        );
        expect({ region, status: response.status, body: response.body }).toEqual({
          region,
          status: 200,
          body: expectedSeries(model, region, from, to),
        });
      }
      const me = await get(`/api/coverage/series?region=${MUARA_ENIM}&from=2025-12-01&to=2026-01-31`);
      expect(me.body.points).toEqual([
        // b1, b5, b8 in B; 2025's denominator is 1,250.
        { date: '2025-12-31', active: 3, workingPopulation: 1250, coverage: 0.24 },
        // + a1 a2 a3 a4 from 2026-01-01; 2026's denominator is 1,300.
        { date: '2026-01-31', active: 7, workingPopulation: 1300, coverage: 0.54 },
      ]);
    });

    it('refuses a reversed range and an invalid date (400)', async () => {
      expectProblem(
        await get('/api/coverage/series?from=2026-03-01&to=2026-01-01'),
        400,
        'request.invalid',
        'to',
      );
      expectProblem(
        await get('/api/coverage/series?from=2026-02-30&to=2026-03-01'),
        400,
        'request.invalid',
        'from',
      );
      expectProblem(await get('/api/coverage/series?from=2026-01-01'), 400, 'request.invalid', 'to');
    });
  });

  describe('GET /api/rankings', () => {
    it('the regencies of Sumatera Selatan on 2026-03-15: a tie shares rank 1, the next is 3, no baseline last', async () => {
      const response = await get('/api/rankings?province=16&date=2026-03-15');
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expectedRanking(model, { province: '16' }, '2026-03-15'));
      const { ranking } = response.body as { ranking: Record<string, unknown>[] };
      const pick = (r: Record<string, unknown>) => ({
        rank: r.rank,
        code: r.code,
        coverage: r.coverage,
        previousRank: r.previousRank,
        previousCoverage: r.previousCoverage,
        movement: r.movement,
      });
      expect(ranking.slice(0, 3).map(pick)).toEqual([
        // Muara Enim: 13/1300 now, 11/1300 = 0.85 on 2026-02-15 (rank 2) → up one.
        { rank: 1, code: MUARA_ENIM, coverage: 1, previousRank: 2, previousCoverage: 0.85, movement: 1 },
        // PALI: 4/400 now, 5/400 = 1.25 a month earlier (rank 1).
        { rank: 1, code: PALI, coverage: 1, previousRank: 1, previousCoverage: 1.25, movement: 0 },
        { rank: 3, code: OKU, coverage: 0, previousRank: 3, previousCoverage: 0, movement: 0 },
      ]);
      expect(ranking).toHaveLength(childrenOf('16').length);
      const unranked = ranking.slice(3);
      for (const r of unranked)
        expect(r).toMatchObject({ rank: null, coverage: null, previousRank: null, movement: null });
      const names = unranked.map((r) => r.name as string);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      expect(response.body.previousDate).toBe('2026-02-15');
      expect(response.body.note).toEqual(expect.any(String));
    });

    it('the villages of Muara Enim: Embawang and Tungkal tie at 1.2 %', async () => {
      const response = await get(`/api/rankings?regency=${MUARA_ENIM}&date=2026-03-15`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expectedRanking(model, { regency: MUARA_ENIM }, '2026-03-15'));
      const top = (response.body.ranking as Record<string, unknown>[]).slice(0, 3);
      expect(top.map((r) => [r.rank, r.code, r.active, r.coverage, r.previousRank, r.movement])).toEqual([
        [1, V.embawang, 6, 1.2, 1, 0],
        [1, V.tungkal, 3, 1.2, 2, 1],
        [3, V.pagarDewa, 0, 0, 3, 0],
      ]);
      // Penanggiran has 4 people covered but no baseline: unranked.
      expect(
        (response.body.ranking as Record<string, unknown>[]).find((r) => r.code === V.penanggiran),
      ).toMatchObject({
        rank: null,
        active: 4,
        coverage: null,
      });
      expect(response.body.ranking).toHaveLength(256);
    });

    it('national: the provinces, Jambi ranked in 2025 only', async () => {
      const late = await get('/api/rankings?date=2026-03-15');
      expect(late.body).toEqual(expectedRanking(model, {}, '2026-03-15'));
      expect(late.body.scope).toEqual({ code: 'ID', name: 'Indonesia', level: 'national' });
      expect(late.body.ranking[0]).toMatchObject({ rank: 1, code: '16' });
      expect(late.body.ranking.filter((r: { rank: number | null }) => r.rank !== null)).toHaveLength(1);
      const early = await get('/api/rankings?date=2025-10-15');
      expect(early.body).toEqual(expectedRanking(model, {}, '2025-10-15'));
      expect(
        early.body.ranking.slice(0, 2).map((r: { code: string; rank: number }) => [r.rank, r.code]),
      ).toEqual([
        [1, '16'],
        [2, '15'],
      ]);
    });

    it.each(RANKING_DATES)('on %s every scope matches the model', async (date) => {
      for (const scope of [
        {},
        { province: '16' },
        { province: '15' },
        { regency: MUARA_ENIM },
        { regency: PALI },
        { regency: SAROLANGUN },
      ]) {
        const query = Object.entries(scope)
          .map(([k, v]) => `${k}=${v}&`)
          .join('');
        const response = await get(`/api/rankings?${query}date=${date}`);
        expect({ scope, status: response.status, body: response.body }).toEqual({
          scope,
          status: 200,
          body: expectedRanking(model, scope, date),
        });
      }
    });

    it('refuses a regency as province, both parameters, and an unknown code (400)', async () => {
      expectProblem(await get('/api/rankings?province=1603'), 400, 'request.invalid', 'province');
      expectProblem(await get('/api/rankings?province=16&regency=1603'), 400, 'request.invalid', 'regency');
      expectProblem(await get('/api/rankings?regency=9999'), 400, 'request.invalid', 'regency');
    });
  });

  describe('GET /api/programs/:id/summary', () => {
    it.each(['A', 'B', 'C', 'D', 'E', 'F'] as ProgramKey[])(
      'program %s on every date matches the model',
      async (key) => {
        for (const date of SUMMARY_DATES) {
          const response = await get(`/api/programs/${programOf(key).id}/summary?date=${date}`);
          expect({ key, date, status: response.status, body: response.body }).toEqual({
            key,
            date,
            status: 200,
            body: expectedProgramSummary(model, key, date),
          });
        }
      },
    );

    it('program A before and after proposal, approval, start and deregistration (worked by hand)', async () => {
      const at = async (date: string) =>
        (await get(`/api/programs/${programOf('A').id}/summary?date=${date}`)).body;
      expect(await at('2025-12-09')).toMatchObject({
        proposed: 0,
        pending: 0,
        approved: 0,
        active: 0,
        quotaUse: { seats: 0, percent: 0 },
      });
      expect(await at('2025-12-10')).toMatchObject({
        proposed: 4,
        pending: 4,
        approved: 0,
        quotaUse: { seats: 4, percent: 16 },
      });
      expect(await at('2025-12-20')).toMatchObject({
        proposed: 4,
        pending: 0,
        approved: 4,
        notYetStarted: 4,
        active: 0,
        monthlyLiability: 0,
      });
      expect(await at('2026-01-01')).toMatchObject({
        notYetStarted: 0,
        active: 4,
        monthlyLiability: 4 * 16_800,
      });
      expect(await at('2026-02-20')).toMatchObject({
        proposed: 9,
        pending: 1,
        approved: 7,
        rejected: 1,
        active: 7,
        ended: 0,
        deregistrationsByReason: {},
        quota: 25,
        quotaUse: { seats: 8, percent: 32 },
      });
      expect(await at('2026-02-21')).toMatchObject({
        active: 6,
        ended: 1,
        deregistrationsByReason: { became_wage_earner: 1 },
        quotaUse: { seats: 7, percent: 28 },
        monthlyLiability: 100_800,
      });
      expect(await at('2027-01-01')).toMatchObject({
        active: 0,
        ended: 7,
        quotaUse: { seats: 1, percent: 4 },
      });
    });

    it('B after its period and C after its early close: everyone ended; F pays the JHT rate', async () => {
      const b = (await get(`/api/programs/${programOf('B').id}/summary?date=2026-04-01`)).body;
      expect(b).toMatchObject({
        period: { from: '2025-07-01', end: '2026-03-31' },
        proposed: 8,
        pending: 1,
        approved: 6,
        rejected: 1,
        active: 0,
        ended: 6,
        deregistrationsByReason: { deceased: 1, moved_away: 1 },
        monthlyLiability: 0,
      });
      // c6 was approved to start on 2026-05-01: waiting before the close, over after it.
      const cBefore = (await get(`/api/programs/${programOf('C').id}/summary?date=2026-04-14`)).body;
      expect(cBefore).toMatchObject({
        active: 3,
        notYetStarted: 1,
        ended: 1,
        pending: 1,
        quotaUse: { seats: 5 },
      });
      const c = (await get(`/api/programs/${programOf('C').id}/summary?date=2026-04-16`)).body;
      expect(c).toMatchObject({
        period: { from: '2026-01-01', end: '2026-04-15' },
        active: 0,
        notYetStarted: 0,
        ended: 5,
        pending: 1,
        quotaUse: { seats: 1 },
      });
      const f = (await get(`/api/programs/${programOf('F').id}/summary?date=2026-04-01`)).body;
      expect(f).toMatchObject({ active: 3, monthlyContribution: 36_800, monthlyLiability: 3 * 36_800 });
    });

    it('scope: a Sarolangun token reads D but not A (403); an unknown program is 404', async () => {
      expect(
        (await get(`/api/programs/${programOf('D').id}/summary?date=2026-03-15`, sarolangun)).status,
      ).toBe(200);
      expectProblem(
        await get(`/api/programs/${programOf('A').id}/summary?date=2026-03-15`, sarolangun),
        403,
        'auth.scope',
      );
      expectProblem(
        await get('/api/programs/01890000-0000-7000-8000-000000000000/summary'),
        404,
        'program.notFound',
      );
      expectProblem(
        await get(`/api/programs/${programOf('A').id}/summary?date=2026-13-01`),
        400,
        'request.invalid',
        'date',
      );
    });
  });

  describe('exports', () => {
    const inject = async (url: string, headers: Record<string, string> = {}) =>
      ledger.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url, headers: { authorization: `Bearer ${viewer}`, ...headers } });
    // As Excel and LibreOffice in an Indonesian locale read numbers: a decimal comma.
    const cell = (value: unknown) =>
      value === null || value === undefined ? '' : String(value).replace('.', ',');

    it('?format=csv: text/csv with a BOM, the header row and one row per region', async () => {
      const date = '2026-03-15';
      const response = await get(`/api/coverage?region=${MUARA_ENIM}&date=${date}&format=csv`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="cakupan-${MUARA_ENIM}-${date}.csv"`,
      );
      expect(response.text.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(response.text, { bom: true, delimiter: ';' }) as string[][];
      expect(header).toEqual([...REGION_HEADERS]);
      const expected = expectedCoverage(model, MUARA_ENIM, date);
      expect(rows).toHaveLength(1 + childrenOf(MUARA_ENIM).length);
      expect(rows).toEqual(
        [
          {
            code: expected.region.code,
            name: expected.region.name,
            level: expected.region.level,
            active: expected.active,
            workingPopulation: expected.coverage.denominator,
            coverage: expected.coverage.ofWorkingPopulation,
            outsideParticipants: expected.ucj.outside?.participants ?? null,
            outsideAsOf: expected.ucj.outside?.asOf ?? null,
            outsideSource: expected.ucj.outside?.source ?? null,
            ucj: expected.ucj.percent,
          },
          ...expected.below,
        ].map((r) => [
          r.code,
          r.name,
          labelOf(r.level),
          cell(r.active),
          cell(r.workingPopulation),
          cell(r.coverage),
          cell(r.outsideParticipants),
          cell(r.outsideAsOf),
          cell(r.outsideSource),
          cell(r.ucj),
        ]),
      );
      // UCJ by hand: (13 active + 480 outside, the corrected January figure) ÷ 1,300 = 37.92%.
      expect(rows[0]).toEqual([
        '1603',
        'Kabupaten Muara Enim',
        'Kabupaten/Kota',
        '13',
        '1300',
        '1',
        '480',
        '2026-01-31',
        'BPJS Cabang Muara Enim, laporan 2026-01-31 (koreksi)',
        '37,92',
      ]);

      const ranking = await get(`/api/rankings?province=16&date=${date}`);
      const rankingCsv = await get(`/api/rankings?province=16&date=${date}&format=csv`);
      expect(rankingCsv.headers['content-type']).toMatch(/^text\/csv/);
      const [rankHeader, ...rankRows] = parseCsv(rankingCsv.text, {
        bom: true,
        delimiter: ';',
      }) as string[][];
      expect(rankHeader[0]).toBe('Peringkat');
      expect(rankRows).toHaveLength(ranking.body.ranking.length);
      expect(rankRows.slice(0, 3).map((r) => [r[0], r[1]])).toEqual([
        ['1', MUARA_ENIM],
        ['1', PALI],
        ['3', OKU],
      ]);

      const series = await get(
        `/api/coverage/series?region=${MUARA_ENIM}&from=2025-06-15&to=2026-06-10&format=csv`,
      );
      const [, ...points] = parseCsv(series.text, { bom: true, delimiter: ';' }) as string[][];
      expect(points).toHaveLength(
        expectedSeries(model, MUARA_ENIM, '2025-06-15', '2026-06-10').points.length,
      );
    });

    it('Accept: XLSX returns a workbook that reads back with the same numbers', async () => {
      const date = '2026-03-15';
      const response = await inject(`/api/coverage?region=${MUARA_ENIM}&date=${date}`, { accept: XLSX_TYPE });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(XLSX_TYPE);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['Wilayah', 'Rincian', 'UCJ']);
      // The rows from the header down: above it is the title block (title, facts, time).
      const rowsOf = (sheet: ExcelJS.Worksheet) => {
        const headerRow = (sheet.views[0] as { ySplit: number }).ySplit;
        const out: unknown[][] = [];
        sheet.eachRow({ includeEmpty: false }, (row, n) => {
          if (n < headerRow) return;
          const values: unknown[] = [];
          for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).value ?? null);
          out.push(values);
        });
        return out;
      };
      const expected = expectedCoverage(model, MUARA_ENIM, date);
      const regions = rowsOf(workbook.getWorksheet('Wilayah')!);
      expect(regions).toEqual([
        [...REGION_HEADERS],
        [
          '1603',
          'Kabupaten Muara Enim',
          'Kabupaten/Kota',
          13,
          1300,
          1,
          480,
          new Date('2026-01-31T00:00:00Z'),
          'BPJS Cabang Muara Enim, laporan 2026-01-31 (koreksi)',
          37.92,
        ],
        ...expected.below.map((b) => [
          b.code,
          b.name,
          labelOf(b.level),
          b.active,
          b.workingPopulation,
          b.coverage,
          b.outsideParticipants,
          b.outsideAsOf === null ? null : new Date(`${b.outsideAsOf}T00:00:00Z`),
          b.outsideSource,
          b.ucj,
        ]),
      ]);
      const details = rowsOf(workbook.getWorksheet('Rincian')!);
      expect(details).toEqual([
        ['Rincian', 'Kategori', 'Peserta aktif'],
        ...expected.byProgram.map((p) => ['program', p.name, p.active]),
        ...expected.byPayer.map((p) => ['pemberi', p.key, p.active]),
        ...expected.byFundingSource.map((p) => ['sumber dana', p.key, p.active]),
        ...expected.byOccupation.map((p) => ['pekerjaan', labelOf(p.key), p.active]),
        ...expected.bySex.map((p) => ['jenis kelamin', labelOf(p.key), p.active]),
        ...expected.byAgeBand.map((p) => ['kelompok umur', p.key, p.active]),
      ]);

      // ?format=xlsx on the program summary too.
      const summary = await inject(`/api/programs/${programOf('A').id}/summary?date=2026-02-21&format=xlsx`);
      expect(summary.headers['content-type']).toBe(XLSX_TYPE);
      const summaryBook = new ExcelJS.Workbook();
      await summaryBook.xlsx.load(summary.rawPayload);
      const items = Object.fromEntries(
        rowsOf(summaryBook.getWorksheet('Ringkasan')!).slice(1) as [string, unknown][],
      );
      expect(items).toMatchObject({
        Diusulkan: 9,
        Aktif: 6,
        Kuota: 25,
        'Kewajiban iuran bulanan': 100_800,
        'Berhenti: Menjadi pekerja penerima upah': 1,
      });
    });

    it('?format=pdf is 400 naming format', async () => {
      expectProblem(
        await get(`/api/coverage?region=${MUARA_ENIM}&date=2026-03-15&format=pdf`),
        400,
        'request.invalid',
        'format',
      );
      expectProblem(await get('/api/rankings?format=pdf'), 400, 'request.invalid', 'format');
    });
  });

  describe('scope and validation', () => {
    it('a token for 1503 may read Sarolangun and its villages but not Muara Enim, Sumatera Selatan nor the nation (403)', async () => {
      expect((await get(`/api/coverage?region=${SAROLANGUN}&date=2026-03-15`, sarolangun)).status).toBe(200);
      expect((await get(`/api/coverage?region=${V.bukitTigo}&date=2026-03-15`, sarolangun)).status).toBe(200);
      for (const url of [
        `/api/coverage?region=${MUARA_ENIM}&date=2026-03-15`,
        '/api/coverage?region=16&date=2026-03-15',
        '/api/coverage?date=2026-03-15',
        `/api/coverage/series?region=${MUARA_ENIM}&from=2026-01-01&to=2026-03-31`,
        '/api/rankings?province=16&date=2026-03-15',
        `/api/rankings?regency=${MUARA_ENIM}&date=2026-03-15`,
      ]) {
        const response = await get(url, sarolangun);
        expectProblem(response, 403, 'auth.scope');
      }
      // A regency admin reads its own regency.
      expect((await get(`/api/coverage?region=${MUARA_ENIM}&date=2026-03-15`, muaraEnim)).status).toBe(200);
      expectProblem(await ledger.get('/api/coverage?date=2026-03-15'), 401, 'auth.required');
    });

    it('an invalid region or date is 400 naming the parameter', async () => {
      for (const region of ['9999', 'abc', '16031', '1603012099']) {
        expectProblem(
          await get(`/api/coverage?region=${region}&date=2026-03-15`),
          400,
          'request.invalid',
          'region',
        );
      }
      for (const date of ['2026-02-30', '15-03-2026', '2026-3-15', 'today']) {
        expectProblem(
          await get(`/api/coverage?region=${MUARA_ENIM}&date=${date}`),
          400,
          'request.invalid',
          'date',
        );
        expectProblem(await get(`/api/rankings?date=${date}`), 400, 'request.invalid', 'date');
      }
    });
  });
}

describe('SQLite e2e: coverage reports', () => coverageSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: coverage reports',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => coverageSuite('postgres'),
);
