import {
  BUDGET_DOCUMENTS,
  SP2D_TYPES,
  TREASURY_DOCUMENT_KINDS,
} from '@ledger/ledger/treasury/treasury.events';
import {
  arrayOf,
  boolean,
  date,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  rupiah,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** The treasury of a program-year: budget lines, SPP → SPM → SP2D, cancellations, SP2D links. */

const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';
const ACCOUNT = '5.1.02.01.01.0001';
const SPP = '0001/SPP-LS/2026';
const SPM = '0001/SPM-LS/2026';
const SP2D = '0001/SP2D-LS/2026';

const documentProperties = {
  number: string('Normalised: trimmed, upper-cased, no spaces; unique in the regency and year'),
  date: date('Document day; its year is the fiscal year'),
  amount: rupiah('Amount'),
  accountCode: string('Kode rekening', ACCOUNT),
  cancelled: nullable(ref('TreasuryCancellation')),
};

const line = {
  accountCode: ACCOUNT,
  document: 'APBD-P',
  fundingSource: 'PAD',
  amount: 1_200_000_000,
  revisions: [
    {
      document: 'DPA',
      fundingSource: 'PAD',
      amount: 1_000_000_000,
      previousAmount: null,
      setOn: '2025-12-20',
    },
    {
      document: 'APBD-P',
      fundingSource: 'PAD',
      amount: 1_200_000_000,
      previousAmount: 1_000_000_000,
      setOn: '2026-08-01',
    },
  ],
};

const documentWritten = (kind: string, number: string, token: number) => ({
  programId: PROGRAM_ID,
  fiscalYear: 2026,
  kind,
  number,
  consistencyToken: token,
});

export const treasuryContract: AreaContract = {
  schemas: {
    TreasuryCancellation: object({ reason: string(), cancelledOn: date() }),
    BudgetLineRevision: object({
      document: oneOf(BUDGET_DOCUMENTS),
      fundingSource: string(),
      amount: rupiah('Amount set'),
      previousAmount: nullable(rupiah('The amount it replaced; null for a new line')),
      setOn: date('Effective day of the budget document'),
    }),
    BudgetLine: object({
      accountCode: string('Kode rekening', ACCOUNT),
      document: oneOf(BUDGET_DOCUMENTS, 'The document of the current amount'),
      fundingSource: string('Sumber dana'),
      amount: rupiah('Current amount'),
      revisions: arrayOf(ref('BudgetLineRevision'), 'Every setting in order, the first one included'),
    }),
    Spp: object({ ...documentProperties, ordered: rupiah('Taken by its live SPMs') }),
    Spm: object({ ...documentProperties, sppNumber: string(), disbursed: rupiah('Taken by its live SP2Ds') }),
    Sp2dDeduction: object({
      billingId: nullable(string('SIPD id_billing')),
      name: string(),
      amount: rupiah(),
    }),
    Sp2d: object({
      ...documentProperties,
      spmNumber: string(),
      sp2dType: oneOf(SP2D_TYPES, 'jenis_sp_2_d'),
      lsType: nullable(string('jenis_ls_sp_2_d')),
      recipient: string('The third party (pihak ketiga)'),
      bank: string('nama_bank'),
      deductions: arrayOf(ref('Sp2dDeduction')),
      invoiceIds: arrayOf(string(), 'The invoices it pays, as last linked'),
      importId: nullable(uuid('The import that brought it')),
    }),
    Treasury: object({
      programId: uuid(),
      fiscalYear: integer(),
      budgetCeiling: rupiah('Sum of the current budget lines'),
      disbursed: rupiah('Sum of the live SP2Ds'),
      remaining: rupiah('budgetCeiling − disbursed'),
      budgetLines: arrayOf(ref('BudgetLine')),
      spp: arrayOf(ref('Spp')),
      spm: arrayOf(ref('Spm')),
      sp2d: arrayOf(ref('Sp2d')),
    }),
    BudgetLineWritten: written({
      programId: uuid(),
      fiscalYear: integer(),
      accountCode: string(),
      changed: boolean('false when the line already had these figures: nothing was written'),
      budgetCeiling: rupiah('Sum of the current lines after it'),
    }),
    TreasuryDocumentWritten: written({
      programId: uuid(),
      fiscalYear: integer(),
      kind: oneOf(TREASURY_DOCUMENT_KINDS),
      number: string('Normalised number'),
    }),
    TreasuryCancellationWritten: written({
      programId: uuid(),
      fiscalYear: integer(),
      kind: oneOf(TREASURY_DOCUMENT_KINDS),
      number: string(),
      cancelled: boolean(),
    }),
    Sp2dImportRow: object({
      row: integer('Row number as the spreadsheet shows it'),
      number: nullable(string('Normalised nomor_sp_2_d')),
      status: oneOf(['recorded', 'already_recorded', 'refused']),
      rule: nullable(string('The rule a refused row breaks')),
      field: nullable(string('The SIPD column it concerns')),
      message: nullable(string()),
    }),
    Sp2dImported: written({
      programId: uuid(),
      fiscalYear: integer(),
      importId: uuid(),
      rows: integer('Data rows read'),
      recorded: integer(),
      alreadyRecorded: integer('Rows already recorded with the same SPM, day and amount: nothing written'),
      refused: integer(),
      report: arrayOf(ref('Sp2dImportRow'), 'One line a row, in file order'),
    }),
    Sp2dLinkWritten: written({
      programId: uuid(),
      fiscalYear: integer(),
      sp2dNumber: string(),
      linked: boolean('false when it was already linked to these invoices: nothing was written'),
      invoiceIds: arrayOf(string()),
    }),
  },
  operations: {
    'post /api/programs/{id}/budget-lines': {
      schema: 'BudgetLineWritten',
      description: 'Set, or already so (changed=false)',
      example: {
        programId: PROGRAM_ID,
        fiscalYear: 2026,
        accountCode: ACCOUNT,
        changed: true,
        budgetCeiling: 1_200_000_000,
        consistencyToken: 90_001,
      },
    },
    'get /api/programs/{id}/treasury/{year}': {
      schema: 'Treasury',
      description: "The program's treasury of the year",
      example: {
        programId: PROGRAM_ID,
        fiscalYear: 2026,
        budgetCeiling: 1_200_000_000,
        disbursed: 449_820_000,
        remaining: 750_180_000,
        budgetLines: [line],
        spp: [
          {
            number: SPP,
            date: '2026-01-10',
            amount: 449_820_000,
            accountCode: ACCOUNT,
            cancelled: null,
            ordered: 449_820_000,
          },
        ],
        spm: [
          {
            number: SPM,
            date: '2026-01-12',
            amount: 449_820_000,
            accountCode: ACCOUNT,
            cancelled: null,
            sppNumber: SPP,
            disbursed: 449_820_000,
          },
        ],
        sp2d: [
          {
            number: SP2D,
            date: '2026-01-14',
            amount: 449_820_000,
            accountCode: ACCOUNT,
            cancelled: null,
            spmNumber: SPM,
            sp2dType: 'LS',
            lsType: 'Pihak Ketiga',
            recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
            bank: 'Bank Sumsel Babel',
            deductions: [],
            invoiceIds: [`${PROGRAM_ID}_2026-01`],
            importId: null,
          },
        ],
      },
    },
    'post /api/programs/{id}/spp': {
      schema: 'TreasuryDocumentWritten',
      description: 'Recorded',
      example: documentWritten('spp', SPP, 90_002),
    },
    'post /api/programs/{id}/spm': {
      schema: 'TreasuryDocumentWritten',
      description: 'Recorded',
      example: documentWritten('spm', SPM, 90_003),
    },
    'post /api/programs/{id}/sp2d': {
      schema: 'TreasuryDocumentWritten',
      description: 'Recorded',
      example: documentWritten('sp2d', SP2D, 90_004),
    },
    'post /api/programs/{id}/treasury-cancellations': {
      schema: 'TreasuryCancellationWritten',
      description: 'Cancelled',
      example: {
        programId: PROGRAM_ID,
        fiscalYear: 2026,
        kind: 'sp2d',
        number: SP2D,
        cancelled: true,
        consistencyToken: 90_005,
      },
    },
    'post /api/programs/{id}/sp2d-imports': {
      schema: 'Sp2dImported',
      description: 'Read and decided row by row',
      example: {
        programId: PROGRAM_ID,
        fiscalYear: 2026,
        importId: '0197a000-0000-7000-8000-0000000000f1',
        rows: 2,
        recorded: 1,
        alreadyRecorded: 0,
        refused: 1,
        report: [
          { row: 2, number: SP2D, status: 'recorded', rule: null, field: null, message: null },
          {
            row: 3,
            number: '0002/SP2D-LS/2026',
            status: 'refused',
            rule: 'sp2d.amount.exceedsSpm',
            field: 'nilai_sp_2_d',
            message: 'Baris 3: Nilai SP2D melebihi sisa SPM 0001/SPM-LS/2026: sisa Rp0',
          },
        ],
        consistencyToken: 90_007,
      },
    },
    'post /api/programs/{id}/sp2d-links': {
      schema: 'Sp2dLinkWritten',
      description: 'Linked, or already so (linked=false)',
      example: {
        programId: PROGRAM_ID,
        fiscalYear: 2026,
        sp2dNumber: SP2D,
        linked: true,
        invoiceIds: [`${PROGRAM_ID}_2026-01`],
        consistencyToken: 90_006,
      },
    },
  },
};
