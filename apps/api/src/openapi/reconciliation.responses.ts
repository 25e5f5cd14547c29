import {
  arrayOf,
  FORMAT_PARAMETER,
  SHEET_PARAMETER,
  integer,
  nullable,
  object,
  oneOf,
  queryParameter,
  ref,
  rupiah,
  string,
  uuid,
  type AreaContract,
} from './schema-kit';

/** The reconciliation of a program's month or year (`libs/read-models/src/reconciliation`). */

const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';
const MONTH = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-01' };
const CODES = [
  'ROSTER_NOT_BILLED',
  'BILLED_NOT_ON_ROSTER',
  'AMOUNT_DIFFERS',
  'INVOICE_UNPAID',
  'DISBURSED_WITHOUT_INVOICE',
  'DISBURSED_TWICE',
  'DISBURSEMENT_EXCEEDS_INVOICE',
  'OUTSIDE_BUDGET_LINE',
  'COVERED_BY_TWO_PAYERS',
];

const figures = {
  roster: rupiah('The live invoices’ totals: what the roster justifies'),
  billed: rupiah('The latest BPJS bill of each invoice'),
  disbursed: rupiah('Live SP2Ds linked to the invoices, and live SP2Ds of the month linked to none'),
};

const line = {
  code: 'INVOICE_UNPAID',
  label: 'Tagihan belum dibayar dengan SP2D',
  month: '2026-01',
  invoiceId: `${PROGRAM_ID}_2026-01`,
  sp2dNumbers: [],
  amount: 449_820_000,
};

export const reconciliationContract: AreaContract = {
  schemas: {
    ReconciliationLine: object({
      code: oneOf(CODES),
      label: string('Bahasa Indonesia'),
      month: MONTH,
      invoiceId: nullable(string('The invoice the line is about; null for an SP2D linked to none')),
      sp2dNumbers: arrayOf(string()),
      amount: integer(
        'Rp the difference is about; for AMOUNT_DIFFERS billed − roster beyond the lines explained, signed',
      ),
    }),
    ReconciliationMonth: object({
      month: MONTH,
      ...figures,
      lines: arrayOf(ref('ReconciliationLine')),
    }),
    Reconciliation: object({
      programId: uuid(),
      payer: nullable(string('The payer asked for; null for every payer of the program')),
      period: string('YYYY-MM or YYYY'),
      ...figures,
      months: arrayOf(ref('ReconciliationMonth')),
      lines: arrayOf(ref('ReconciliationLine')),
    }),
  },
  operations: {
    'get /api/reconciliation': {
      schema: 'Reconciliation',
      description: 'The reconciliation; a year is the sum of its months',
      spreadsheets: true,
      query: [
        queryParameter('program', 'Program id', { type: 'string', format: 'uuid' }, true),
        queryParameter('payer', 'The payer as the program names it', { type: 'string' }),
        queryParameter('month', 'YYYY-MM (or year)', MONTH),
        queryParameter('year', 'YYYY (or month)', { type: 'string', pattern: '^\\d{4}$' }),
        FORMAT_PARAMETER,
        SHEET_PARAMETER,
      ],
      example: {
        programId: PROGRAM_ID,
        payer: null,
        period: '2026-01',
        roster: 449_820_000,
        billed: 449_820_000,
        disbursed: 0,
        months: [{ month: '2026-01', roster: 449_820_000, billed: 449_820_000, disbursed: 0, lines: [line] }],
        lines: [line],
      },
    },
  },
};
