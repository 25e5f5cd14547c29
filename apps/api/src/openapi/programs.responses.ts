import { MONTH_RULES } from '@ledger/ledger/contributions/obligation';
import { BENEFIT_PACKAGES } from '@ledger/ledger/programs/contribution';
import { FUNDING_SOURCES } from '@ledger/ledger/programs/program.events';
import { OCCUPATION_CODES } from '@ledger/ledger/shared/occupations';
import {
  arrayOf,
  date,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  queryParameter,
  ref,
  rupiah,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** Programs: their terms and quota use (`toProgram` in the programs read model), and their writes. */

const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';

const program = {
  id: PROGRAM_ID,
  name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
  ownerRegion: '1603',
  payer: 'Pemerintah Kabupaten Muara Enim',
  fundingSource: 'APBD',
  benefitPackage: 'JKK_JKM',
  declaredIncome: 1_000_000,
  monthlyContribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
  period: { from: '2026-10-01', to: '2026-12-31' },
  quota: 26_775,
  seatsInUse: 24_651,
  ageCap: 65,
  eligibleOccupations: null,
  budgetCeiling: 1_350_000_000,
  monthRule: 'any_day',
  jkkReportingWindowDays: 30,
  status: 'open',
  closedOn: null,
  establishedAt: '2026-09-15T02:14:07.118Z',
};

const programWritten = written({ programId: uuid() });

export const programsContract: AreaContract = {
  schemas: {
    ContributionBreakdown: object(
      { jkk: rupiah('JKK'), jkm: rupiah('JKM'), jht: rupiah('JHT, 0 without it'), total: rupiah('Total') },
      [],
      'Monthly contribution per participant',
    ),
    Period: object({ from: date('First day'), to: date('Last day, included') }),
    Program: object(
      {
        id: uuid(),
        name: string(),
        ownerRegion: string('Kode wilayah of the owner (province or regency)', '1603'),
        payer: string(),
        fundingSource: oneOf(FUNDING_SOURCES),
        benefitPackage: oneOf(BENEFIT_PACKAGES),
        declaredIncome: rupiah('Declared monthly income the contribution is computed from'),
        monthlyContribution: ref('ContributionBreakdown'),
        period: ref('Period'),
        quota: integer('Seats'),
        seatsInUse: integer(
          'Proposed or approved enrollments holding a seat (of `countsScope` when present)',
        ),
        countsScope: arrayOf(
          string(),
          'Present when the token covers less than the owner region: the region prefixes `seatsInUse` counts',
        ),
        ageCap: integer('Oldest age accepted'),
        eligibleOccupations: nullable(arrayOf(oneOf(OCCUPATION_CODES), 'null: every occupation')),
        budgetCeiling: nullable(rupiah('Pagu anggaran')),
        monthRule: oneOf(
          MONTH_RULES,
          'Which months a coverage starting or ending inside one owes: any_day (active on any day), first_day (on the 1st), whole_month (every day)',
        ),
        jkkReportingWindowDays: integer(
          'Days after a work accident within which a JKK claim must be reported to be eligible',
        ),
        status: oneOf(['open', 'closed']),
        closedOn: nullable(date('Closing day')),
        establishedAt: instant(),
      },
      ['countsScope'],
    ),
    ProgramList: object({ programs: arrayOf(ref('Program')) }),
    RosterEntry: object({
      enrollmentId: uuid(),
      participantId: uuid(),
      maskedNik: nullable(
        string('NIK masked for every role; null once the person was erased', '1603********01'),
      ),
      villageCode: string('Kode wilayah of the village', '1603012011'),
      status: oneOf(['proposed', 'approved', 'rejected', 'deregistered']),
      coverage: nullable(object({ from: date('First covered day'), to: date('Last covered day') })),
      endReason: nullable(string('Why the coverage ended')),
    }),
    ProgramRoster: object({
      programId: uuid(),
      participants: arrayOf(ref('RosterEntry')),
      page: object({ offset: integer(), limit: integer(), total: integer('Entries matching the filters') }),
    }),
    ProgramWritten: programWritten,
  },
  operations: {
    'post /api/programs': {
      schema: 'ProgramWritten',
      description: 'Established',
      example: { programId: PROGRAM_ID, consistencyToken: 1042 },
    },
    'post /api/programs/{id}/quota': {
      schema: 'ProgramWritten',
      description: 'Quota amended',
      example: { programId: PROGRAM_ID, consistencyToken: 1187 },
    },
    'post /api/programs/{id}/backfill-tolerance': {
      schema: 'ProgramWritten',
      description: 'Backfill tolerance amended',
      example: { programId: PROGRAM_ID, consistencyToken: 1188 },
    },
    'post /api/programs/{id}/jkk-reporting-window': {
      schema: 'ProgramWritten',
      description: 'JKK reporting window amended',
      example: { programId: PROGRAM_ID, consistencyToken: 1189 },
    },
    'post /api/programs/{id}/period': {
      schema: 'ProgramWritten',
      description: 'Period amended',
      example: { programId: PROGRAM_ID, consistencyToken: 1190 },
    },
    'post /api/programs/{id}/closure': {
      schema: 'ProgramWritten',
      description: 'Closed',
      example: { programId: PROGRAM_ID, consistencyToken: 1204 },
    },
    'get /api/programs': {
      schema: 'ProgramList',
      description: 'The programs the token reaches',
      example: { programs: [program] },
      query: [
        queryParameter('region', 'Only programs owned by this region or below it (inside the token scope)', {
          type: 'string',
          pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{10})$',
        }),
      ],
    },
    'get /api/programs/{id}': { schema: 'Program', description: 'The program', example: program },
    'get /api/programs/{id}/roster': {
      schema: 'ProgramRoster',
      description: 'A page of the roster',
      example: {
        programId: PROGRAM_ID,
        participants: [
          {
            enrollmentId: '0197a000-0000-7000-8000-0000000000c1',
            participantId: '0197a000-0000-7000-8000-0000000000b1',
            maskedNik: '1603**********01',
            villageCode: '1603012011',
            status: 'approved',
            coverage: { from: '2026-10-01', to: '2026-12-31' },
            endReason: null,
          },
        ],
        page: { offset: 0, limit: 50, total: 1 },
      },
    },
  },
};
