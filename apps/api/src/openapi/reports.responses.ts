import { FUNDING_SOURCES } from '@ledger/ledger/programs/program.events';
import {
  arrayOf,
  date,
  DATE_PARAMETER,
  FORMAT_PARAMETER,
  integer,
  mapOf,
  nullable,
  object,
  oneOf,
  percentage,
  queryParameter,
  ref,
  rupiah,
  SHEET_PARAMETER,
  string,
  uuid,
  type AreaContract,
} from './schema-kit';

/**
 * The reports (`coverage.query.ts`, `programSummary`): JSON by default, and each as CSV and
 * XLSX. Percentages are null where the region has no workforce baseline for the year.
 */

const REGION_CODE = { type: 'string', pattern: '^(ID|\\d{2}|\\d{4}|\\d{6}|\\d{10})$' };

const MUARA_ENIM = { code: '1603', name: 'Kabupaten Muara Enim', level: 'regency' };

const breakdown = (what: string) =>
  arrayOf(object({ key: string(what), active: integer() }), `Active participants by ${what}, most first`);

export const reportsContract: AreaContract = {
  schemas: {
    ReportRegion: object({
      code: string('Kode wilayah; ID for the country', '1603'),
      name: string(),
      level: oneOf(['national', 'province', 'regency', 'district', 'village']),
    }),
    BaselineInfo: object({
      year: integer(),
      workingPopulation: integer(),
      informalWorkers: nullable(integer()),
      vulnerableWorkers: nullable(integer()),
      source: string(),
    }),
    CoverageReport: object({
      region: ref('ReportRegion'),
      date: date(),
      active: integer('Active participants on the date'),
      baseline: nullable(ref('BaselineInfo')),
      coverage: object({
        ofWorkingPopulation: percentage('Of the working population'),
        ofVulnerableWorkers: percentage('Of the vulnerable workers'),
        denominator: nullable(integer()),
        source: nullable(string()),
        note: nullable(string('Why no percentage is given')),
      }),
      byProgram: arrayOf(
        object({
          programId: uuid(),
          name: string(),
          payer: string(),
          fundingSource: oneOf(FUNDING_SOURCES),
          active: integer(),
          quota: integer(),
          quotaUse: percentage('Of the quota'),
        }),
      ),
      byPayer: breakdown('payer'),
      byFundingSource: breakdown('funding source'),
      byOccupation: breakdown('occupation code'),
      bySex: breakdown('sex (L, P)'),
      byAgeBand: breakdown('age band (<25, 25-34, 35-44, 45-54, 55-64, 65+)'),
      below: arrayOf(
        object({
          code: string(),
          name: string(),
          level: oneOf(['province', 'regency', 'district', 'village']),
          active: integer(),
          workingPopulation: nullable(integer()),
          coverage: percentage('Of the working population'),
        }),
        'The regions one level below',
      ),
    }),
    CoverageSeries: object({
      region: ref('ReportRegion'),
      from: date(),
      to: date(),
      points: arrayOf(
        object({
          date: date('A month end'),
          active: integer(),
          workingPopulation: nullable(integer()),
          coverage: percentage('Of the working population'),
        }),
      ),
    }),
    CoverageRankings: object({
      scope: ref('ReportRegion'),
      date: date(),
      previousDate: date('One month earlier'),
      note: nullable(string()),
      ranking: arrayOf(
        object({
          rank: nullable(integer('1 is the highest coverage; null without a baseline')),
          code: string(),
          name: string(),
          active: integer(),
          workingPopulation: nullable(integer()),
          coverage: percentage('Of the working population'),
          previousRank: nullable(integer()),
          previousCoverage: percentage('A month earlier'),
          movement: nullable(integer('Places gained since a month earlier')),
        }),
      ),
    }),
    ProgramSummary: object(
      {
        programId: uuid(),
        name: string(),
        date: date(),
        period: object({ from: date(), end: date('Last covered day: the period end, or the closing day') }),
        countsScope: arrayOf(string(), 'Present when the counts are those of the token’s regions only'),
        proposed: integer('Enrollments proposed by the date'),
        pending: integer(),
        approved: integer(),
        rejected: integer(),
        notYetStarted: integer(),
        active: integer(),
        ended: integer(),
        quota: integer(),
        quotaUse: object({ seats: integer(), percent: percentage('Of the quota') }),
        deregistrationsByReason: mapOf(integer(), 'Ended coverages by reason'),
        monthlyContribution: rupiah('Per participant and month'),
        monthlyLiability: rupiah('Active participants × monthly contribution'),
      },
      ['countsScope'],
    ),
  },
  operations: {
    'get /api/coverage': {
      schema: 'CoverageReport',
      description: 'The coverage report',
      spreadsheets: true,
      example: {
        region: MUARA_ENIM,
        date: '2026-11-30',
        active: 26_775,
        baseline: {
          year: 2026,
          workingPopulation: 93_000,
          informalWorkers: 60_000,
          vulnerableWorkers: 48_838,
          source: 'BPS Sakernas Agustus 2025',
        },
        coverage: {
          ofWorkingPopulation: 28.79,
          ofVulnerableWorkers: 54.82,
          denominator: 93_000,
          source: 'BPS Sakernas Agustus 2025',
          note: null,
        },
        byProgram: [
          {
            programId: '0197a000-0000-7000-8000-0000000000a1',
            name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
            payer: 'Pemerintah Kabupaten Muara Enim',
            fundingSource: 'APBD',
            active: 26_775,
            quota: 26_775,
            quotaUse: 100,
          },
        ],
        byPayer: [{ key: 'Pemerintah Kabupaten Muara Enim', active: 26_775 }],
        byFundingSource: [{ key: 'APBD', active: 26_775 }],
        byOccupation: [
          { key: 'perangkat_desa', active: 24_651 },
          { key: 'petani_pekebun', active: 2_124 },
        ],
        bySex: [
          { key: 'L', active: 15_120 },
          { key: 'P', active: 11_655 },
        ],
        byAgeBand: [
          { key: '<25', active: 2_210 },
          { key: '25-34', active: 7_340 },
          { key: '35-44', active: 8_105 },
          { key: '45-54', active: 6_020 },
          { key: '55-64', active: 3_080 },
          { key: '65+', active: 20 },
        ],
        below: [
          {
            code: '160301',
            name: 'Tanjung Agung',
            level: 'district',
            active: 1_204,
            workingPopulation: null,
            coverage: null,
          },
        ],
      },
      query: [SHEET_PARAMETER],
    },
    'get /api/coverage/series': {
      schema: 'CoverageSeries',
      description: 'The series',
      spreadsheets: true,
      example: {
        region: MUARA_ENIM,
        from: '2026-10-01',
        to: '2026-12-31',
        points: [
          { date: '2026-10-31', active: 24_651, workingPopulation: 93_000, coverage: 26.51 },
          { date: '2026-11-30', active: 26_775, workingPopulation: 93_000, coverage: 28.79 },
        ],
      },
      query: [
        queryParameter('region', 'Kode wilayah; absent or ID for national', REGION_CODE),
        DATE_PARAMETER('from', 'First day; the series has each month end from here', true),
        DATE_PARAMETER('to', 'Last day (at most 120 month ends)', true),
        FORMAT_PARAMETER,
        SHEET_PARAMETER,
      ],
    },
    'get /api/rankings': {
      schema: 'CoverageRankings',
      description: 'The ranking',
      spreadsheets: true,
      example: {
        scope: { code: '16', name: 'Sumatera Selatan', level: 'province' },
        date: '2026-11-30',
        previousDate: '2026-10-31',
        note: 'Wilayah tanpa data penduduk bekerja untuk tahun itu tidak diperingkat (rank null)',
        ranking: [
          {
            rank: 1,
            code: '1603',
            name: 'Kabupaten Muara Enim',
            active: 26_775,
            workingPopulation: 93_000,
            coverage: 28.79,
            previousRank: 2,
            previousCoverage: 26.51,
            movement: 1,
          },
          {
            rank: null,
            code: '1607',
            name: 'Kabupaten Banyuasin',
            active: 0,
            workingPopulation: null,
            coverage: null,
            previousRank: null,
            previousCoverage: null,
            movement: null,
          },
        ],
      },
      query: [
        queryParameter('province', 'Ranks the regencies and cities of this province (2 digits)', {
          type: 'string',
          pattern: '^\\d{2}$',
        }),
        queryParameter('regency', 'Ranks the villages of this regency (4 digits); not with province', {
          type: 'string',
          pattern: '^\\d{4}$',
        }),
        DATE_PARAMETER('date', 'YYYY-MM-DD, default today (WIB)'),
        FORMAT_PARAMETER,
        SHEET_PARAMETER,
      ],
    },
    'get /api/programs/{id}/summary': {
      schema: 'ProgramSummary',
      description: 'The summary',
      spreadsheets: true,
      example: {
        programId: '0197a000-0000-7000-8000-0000000000a1',
        name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
        date: '2026-11-30',
        period: { from: '2026-10-01', end: '2026-12-31' },
        proposed: 24_700,
        pending: 0,
        approved: 24_651,
        rejected: 49,
        notYetStarted: 0,
        active: 24_600,
        ended: 51,
        quota: 26_775,
        quotaUse: { seats: 24_600, percent: 91.88 },
        deregistrationsByReason: { deceased: 12, moved_away: 39 },
        monthlyContribution: 16_800,
        monthlyLiability: 413_280_000,
      },
      query: [DATE_PARAMETER('date', 'YYYY-MM-DD, default today (WIB)'), FORMAT_PARAMETER, SHEET_PARAMETER],
    },
  },
};
