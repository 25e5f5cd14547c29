import {
  arrayOf,
  boolean,
  date,
  FORMAT_PARAMETER,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  rupiah,
  SHEET_PARAMETER,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** The reconciliation statement (berita acara) and the budget realisation. */

const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';
const STATEMENT_ID = '0197a000-0000-7000-8000-0000000000b1';
const figures = {
  roster: rupiah('The live invoices’ totals'),
  billed: rupiah('The latest BPJS bill of each invoice'),
  disbursed: rupiah('Live SP2Ds paying them'),
};
const line = {
  code: 'INVOICE_UNPAID',
  label: 'Tagihan belum dibayar dengan SP2D',
  month: '2026-01',
  invoiceId: `${PROGRAM_ID}_2026-01`,
  sp2dNumbers: [],
  amount: 33_600,
};
const header = {
  statementId: uuid(),
  programId: uuid(),
  ownerRegion: string('The program’s owner region'),
  payer: nullable(string('The payer signed for; null for every payer of the program')),
  period: string('YYYY-MM or YYYY'),
  signedOn: date('Effective day of the statement'),
  recordedAt: instant('When the ledger recorded the signature'),
  signer: object({
    account: string('The account that signed (who recorded the statement)'),
    position: string('Jabatan'),
  }),
  counterparty: nullable(string('The other party’s office or institution, usually the BPJS branch')),
  readPosition: integer('The log position the figures were frozen at'),
  supersedes: nullable(uuid('The statement this one replaced')),
  supersededBy: nullable(uuid('The statement that replaced this one')),
  reason: nullable(string('Why the period was signed again')),
};
const headerExample = {
  statementId: STATEMENT_ID,
  programId: PROGRAM_ID,
  ownerRegion: '1603',
  payer: null,
  period: '2026-01',
  signedOn: '2026-02-10',
  recordedAt: '2026-02-10T02:15:00.000Z',
  signer: { account: 'keuangan-muara-enim', position: 'Kepala Bidang Perbendaharaan BPKAD' },
  counterparty: 'BPJS Ketenagakerjaan Cabang Prabumulih',
  readPosition: 1042,
  supersedes: null,
  supersededBy: null,
  reason: null,
};
const realisationLine = {
  appropriated: rupiah('The budget line’s current amount (pagu)'),
  disbursed: rupiah('Live SP2Ds of the year on the account code, up to asOf'),
  billed: rupiah('The latest BPJS bill of the line’s invoices, months up to asOf'),
  owed: rupiah('The line’s invoices’ totals, months up to asOf'),
  projected: rupiah('owed, plus the line’s latest month for each month left to the period’s end in the year'),
  remaining: integer('appropriated − disbursed (Rp, may be negative)'),
};
const realised = {
  appropriated: 10_000_000,
  disbursed: 33_600,
  billed: 33_600,
  owed: 33_600,
  projected: 403_200,
  remaining: 9_966_400,
};

export const statementContract: AreaContract = {
  schemas: {
    StatementSigned: written({
      statementId: uuid(),
      programId: uuid(),
      period: string(),
      supersedes: nullable(uuid()),
    }),
    StatementHeader: object(header),
    StatementList: object({ programId: uuid(), statements: arrayOf(ref('StatementHeader')) }),
    Statement: object({
      ...header,
      frozen: object({ ...figures, lines: arrayOf(ref('ReconciliationLine')) }),
      current: object({ ...figures, lines: arrayOf(ref('ReconciliationLine')) }),
      changedAfterStatement: boolean('Whether anything recorded after the statement changed its figures'),
      figureChanges: arrayOf(
        object({
          figure: oneOf(['roster', 'billed', 'disbursed']),
          frozen: rupiah(),
          current: rupiah(),
          difference: integer('current − frozen (Rp)'),
        }),
      ),
      lineChanges: arrayOf(
        object({
          code: string(),
          month: string('YYYY-MM'),
          invoiceId: nullable(string()),
          sp2dNumbers: arrayOf(string()),
          frozen: nullable(integer('Rp at signing; null for a difference that appeared after')),
          current: nullable(integer('Rp now; null for a difference settled after')),
          difference: integer('Rp'),
        }),
      ),
    }),
    DrillDown: object({
      programId: uuid(),
      month: string('YYYY-MM'),
      code: string('The difference code'),
      invoiceIds: arrayOf(string(), 'The month’s live invoices looked at'),
      total: integer('Participants behind the line, all pages'),
      offset: integer(),
      limit: integer(),
      participants: arrayOf(
        object({
          invoiceId: string(),
          enrollmentId: nullable(
            uuid('The roster’s enrollment; for COVERED_BY_TWO_PAYERS the other payer’s'),
          ),
          maskedNik: nullable(string('The NIK masked: regency digits and the last two')),
          villageCode: nullable(string('Kode desa of the enrollment; null for a person on no roster')),
          billedAmount: nullable(rupiah('What the BPJS bill line says')),
          invoicedAmount: nullable(rupiah('What the roster line owes')),
        }),
      ),
    }),
    RealisationLine: object({
      accountCode: nullable(string('Kode rekening; null for invoices no SP2D tied to one')),
      ...realisationLine,
    }),
    Realisation: object({
      programId: uuid(),
      year: integer(),
      asOf: date(),
      monthsLeft: integer('Months after asOf to the period’s end within the year'),
      lines: arrayOf(ref('RealisationLine')),
      total: object(realisationLine, [], 'The sum of the lines'),
    }),
  },
  operations: {
    'post /api/reconciliation/statements': {
      schema: 'StatementSigned',
      description: 'The statement signed; `supersedes` names the one it replaced',
      example: {
        statementId: STATEMENT_ID,
        programId: PROGRAM_ID,
        period: '2026-01',
        supersedes: null,
        consistencyToken: 1043,
      },
    },
    'get /api/reconciliation/statements': {
      schema: 'StatementList',
      description: 'The program’s statements, latest first',
      example: { programId: PROGRAM_ID, statements: [headerExample] },
    },
    'get /api/reconciliation/statements/{statementId}': {
      schema: 'Statement',
      description: 'The statement’s frozen figures beside those of now; `format=html` the printable page',
      spreadsheets: true,
      query: [SHEET_PARAMETER],
      example: {
        ...headerExample,
        frozen: { roster: 33_600, billed: 33_600, disbursed: 0, lines: [line] },
        current: { roster: 33_600, billed: 33_600, disbursed: 33_600, lines: [] },
        changedAfterStatement: true,
        figureChanges: [{ figure: 'disbursed', frozen: 0, current: 33_600, difference: 33_600 }],
        lineChanges: [
          {
            code: line.code,
            month: line.month,
            invoiceId: line.invoiceId,
            sp2dNumbers: [],
            frozen: 33_600,
            current: null,
            difference: -33_600,
          },
        ],
      },
    },
    'get /api/reconciliation/participants': {
      schema: 'DrillDown',
      description: 'One page of the participants behind a difference line',
      example: {
        programId: PROGRAM_ID,
        month: '2026-02',
        code: 'ROSTER_NOT_BILLED',
        invoiceIds: [`${PROGRAM_ID}_2026-02`],
        total: 1,
        offset: 0,
        limit: 100,
        participants: [
          {
            invoiceId: `${PROGRAM_ID}_2026-02`,
            enrollmentId: '0197a000-0000-7000-8000-0000000000c1',
            maskedNik: '1603**********01',
            villageCode: '1603012011',
            billedAmount: null,
            invoicedAmount: 16_800,
          },
        ],
      },
    },
    'get /api/reconciliation/realisation': {
      schema: 'Realisation',
      description: 'Realisasi anggaran per budget line; the total is the sum of the lines',
      spreadsheets: true,
      query: [FORMAT_PARAMETER, SHEET_PARAMETER],
      example: {
        programId: PROGRAM_ID,
        year: 2026,
        asOf: '2026-03-31',
        monthsLeft: 9,
        lines: [{ accountCode: '5.1.02.01.01.0001', ...realised }],
        total: realised,
      },
    },
  },
};
