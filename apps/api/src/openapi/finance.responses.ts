import {
  arrayOf,
  date,
  FORMAT_PARAMETER,
  integer,
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
  type Schema,
} from './schema-kit';

/**
 * The finance reports (`libs/read-models/src/finance`): whole rupiah everywhere, every total
 * the sum of its lines, every figure as of `asOf` by effective dates, and with `knownAt` as
 * the ledger knew it at that log position.
 */

const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';
const ENROLLMENT_ID = '0197a000-0000-7000-8000-0000000e0001';
const MONTH = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-10' };
const INVOICE_STATUSES = ['notIssued', 'open', 'partly_paid', 'paid', 'cancelled'];
const AS_OF = queryParameter('asOf', 'YYYY-MM-DD, the effective day; default today (WIB)', {
  type: 'string',
  format: 'date',
  example: '2026-12-31',
});

const figures: Record<string, Schema> = {
  owed: rupiah('What the ledger’s invoices owe (cancelled ones nothing)'),
  billedByBpjs: nullable(rupiah('The latest BPJS bill’s total; null while none is recorded')),
  paid: rupiah('Paid by asOf (refunds not subtracted)'),
  outstanding: rupiah('Owed and not paid'),
  arrears: ref('ArrearsByAge'),
  overpaid: rupiah('Paid beyond what is owed'),
  refundable: rupiah('Paid lines of coverages ended before the month, and over-payments, not refunded'),
  refunded: rupiah('Refunds agreed by asOf'),
  lines: integer('Participant-months invoiced'),
  paidLines: integer(),
  partialLines: integer(),
  unpaidLines: integer(),
  lapsedWorkers: integer('Coverages that lapsed with their last day in the month'),
};

function example(owed: number, paid: number) {
  const lines = owed / 16_800;
  const paidLines = Math.floor(paid / 16_800);
  const partialLines = paid > paidLines * 16_800 ? 1 : 0;
  return {
    owed,
    billedByBpjs: null,
    paid,
    outstanding: owed - paid,
    arrears: { upTo1: owed - paid, months2: 0, months3: 0, over3: 0 },
    overpaid: 0,
    refundable: 0,
    refunded: 0,
    lines,
    paidLines,
    partialLines,
    unpaidLines: lines - paidLines - partialLines,
    lapsedWorkers: 0,
  };
}

const BUDGET_EXAMPLE = {
  ceiling: 1_400_000_000,
  owedToDate: 1_349_460_000,
  projectedToPeriodEnd: 1_349_460_000,
  owedPercent: 96.39,
  projectedPercent: 96.39,
  remaining: 50_540_000,
};

export const financeContract: AreaContract = {
  schemas: {
    ArrearsByAge: object(
      {
        upTo1: rupiah('At most one month since the due date'),
        months2: rupiah(),
        months3: rupiah(),
        over3: rupiah('More than three months'),
      },
      [],
      'Outstanding after the due date, by months since it',
    ),
    FinanceFigures: object(figures),
    BudgetUse: object({
      ceiling: nullable(rupiah('The program’s budget ceiling')),
      owedToDate: rupiah('The invoices of the months up to asOf'),
      projectedToPeriodEnd: rupiah('Owed to date plus the last invoiced roster for each month left'),
      owedPercent: percentage('Owed to date of the ceiling'),
      projectedPercent: percentage('Projected of the ceiling'),
      remaining: nullable(rupiah('Ceiling less the projection')),
    }),
    FinanceProgramMonths: object(
      {
        program: object({ id: uuid(), name: string(), ownerRegion: string(), payer: string() }),
        asOf: date(),
        knownAt: integer(
          'The log position asked for (knownAt, resolved): the figures as the ledger knew them then',
        ),
        months: arrayOf(
          object({
            month: MONTH,
            invoiceId: nullable(string('The month’s invoice not cancelled, else its last')),
            status: oneOf(INVOICE_STATUSES),
            dueDate: nullable(date()),
            ...figures,
          }),
        ),
        totals: ref('FinanceFigures'),
        budget: ref('BudgetUse'),
      },
      ['knownAt'],
    ),
    FinanceSummary: object(
      {
        region: string(),
        year: integer(),
        asOf: date(),
        knownAt: integer(
          'The log position asked for (knownAt, resolved): the figures as the ledger knew them then',
        ),
        programs: arrayOf(
          object({
            id: uuid(),
            name: string(),
            ownerRegion: string(),
            payer: string(),
            budget: ref('BudgetUse'),
            ...figures,
          }),
        ),
        months: arrayOf(object({ month: MONTH, ...figures })),
        totals: ref('FinanceFigures'),
      },
      ['knownAt'],
    ),
    RefundableReport: object(
      {
        asOf: date(),
        knownAt: integer(
          'The log position asked for (knownAt, resolved): the figures as the ledger knew them then',
        ),
        region: nullable(string()),
        payer: nullable(string()),
        payers: arrayOf(object({ payer: string(), lines: integer(), total: rupiah() })),
        invoices: arrayOf(
          object({
            payer: string(),
            programId: uuid(),
            month: MONTH,
            invoiceId: string(),
            lines: integer(),
            linesAmount: rupiah(),
            overpaid: rupiah(),
            total: rupiah(),
          }),
        ),
        lines: arrayOf(
          object({
            invoiceId: string(),
            programId: uuid(),
            month: MONTH,
            payer: string(),
            line: integer(),
            enrollmentId: uuid(),
            endReason: nullable(string()),
            endedOn: nullable(date()),
            amount: rupiah(),
          }),
        ),
        totals: object({ lines: integer(), linesAmount: rupiah(), overpaid: rupiah(), total: rupiah() }),
      },
      ['knownAt'],
    ),
    ContributionMonths: object(
      {
        asOf: date(),
        months: arrayOf(
          object({
            month: MONTH,
            programId: uuid(),
            enrollmentId: uuid(),
            invoiceId: string(),
            line: integer(),
            amount: rupiah('What the month owes'),
            paid: rupiah('Paid towards it'),
            state: oneOf(['paid', 'partial', 'unpaid', 'refundable', 'refunded']),
            dueDate: date(),
          }),
        ),
      },
      [],
      'Every invoiced month of the person’s coverages, as of asOf',
    ),
  },
  operations: {
    'get /api/finance/programs/{id}/months': {
      schema: 'FinanceProgramMonths',
      description: 'The program’s months',
      spreadsheets: true,
      query: [AS_OF, FORMAT_PARAMETER, SHEET_PARAMETER],
      example: {
        program: {
          id: PROGRAM_ID,
          name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
          ownerRegion: '1603',
          payer: 'Pemerintah Kabupaten Muara Enim',
        },
        asOf: '2026-12-31',
        months: [
          {
            month: '2026-12',
            invoiceId: `${PROGRAM_ID}_2026-12`,
            status: 'partly_paid',
            dueDate: '2026-12-15',
            ...example(449_820_000, 400_000_000),
          },
        ],
        totals: example(449_820_000, 400_000_000),
        budget: BUDGET_EXAMPLE,
      },
    },
    'get /api/finance/summary': {
      schema: 'FinanceSummary',
      description: 'The finance summary',
      spreadsheets: true,
      query: [
        queryParameter('region', 'Kode wilayah; absent or ID for national', {
          type: 'string',
          pattern: '^(ID|\\d{2}|\\d{4}|\\d{6}|\\d{10})$',
        }),
        queryParameter('year', 'YYYY, default this year', { type: 'string', pattern: '^\\d{4}$' }),
        AS_OF,
        FORMAT_PARAMETER,
        SHEET_PARAMETER,
      ],
      example: {
        region: '1603',
        year: 2026,
        asOf: '2026-12-31',
        programs: [
          {
            id: PROGRAM_ID,
            name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
            ownerRegion: '1603',
            payer: 'Pemerintah Kabupaten Muara Enim',
            budget: BUDGET_EXAMPLE,
            ...example(449_820_000, 400_000_000),
          },
        ],
        months: [{ month: '2026-12', ...example(449_820_000, 400_000_000) }],
        totals: example(449_820_000, 400_000_000),
      },
    },
    'get /api/finance/refundable': {
      schema: 'RefundableReport',
      description: 'The refundable months',
      spreadsheets: true,
      query: [
        queryParameter('region', 'Kode wilayah; default the token’s regions', {
          type: 'string',
          pattern: '^(ID|\\d{2}|\\d{4}|\\d{6}|\\d{10})$',
        }),
        queryParameter('payer', 'The payer, as the program names it', { type: 'string', maxLength: 200 }),
        AS_OF,
        FORMAT_PARAMETER,
        SHEET_PARAMETER,
      ],
      example: {
        asOf: '2026-12-31',
        region: '1603',
        payer: null,
        payers: [{ payer: 'Pemerintah Kabupaten Muara Enim', lines: 1, total: 16_800 }],
        invoices: [
          {
            payer: 'Pemerintah Kabupaten Muara Enim',
            programId: PROGRAM_ID,
            month: '2026-12',
            invoiceId: `${PROGRAM_ID}_2026-12`,
            lines: 1,
            linesAmount: 16_800,
            overpaid: 0,
            total: 16_800,
          },
        ],
        lines: [
          {
            invoiceId: `${PROGRAM_ID}_2026-12`,
            programId: PROGRAM_ID,
            month: '2026-12',
            payer: 'Pemerintah Kabupaten Muara Enim',
            line: 41,
            enrollmentId: ENROLLMENT_ID,
            endReason: 'deceased',
            endedOn: '2026-11-20',
            amount: 16_800,
          },
        ],
        totals: { lines: 1, linesAmount: 16_800, overpaid: 0, total: 16_800 },
      },
    },
  },
};
