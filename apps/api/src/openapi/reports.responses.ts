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
      query: [SHEET_PARAMETER],
    },
    'get /api/coverage/series': {
      schema: 'CoverageSeries',
      description: 'The series',
      spreadsheets: true,
      example: {
        region: { code: '1603', name: 'Kabupaten Muara Enim', level: 'regency' },
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
