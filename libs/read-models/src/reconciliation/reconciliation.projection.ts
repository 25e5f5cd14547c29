import type { RecordedEvent } from '@ledger/event-store';
import type { DuesEvent } from '@ledger/ledger/contributions/contribution.events';
import type { BpjsBillEvent } from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.events';
import type { TreasuryEvent } from '@ledger/ledger/treasury/treasury.events';
import type { Columns } from '../columns';
import type { RowProjection } from '../runner/projection';

/**
 * The reconciliation reads two small tables: one row per invoice (what the roster justifies
 * and what BPJS billed for it, latest bill) and one row per SP2D (what the treasury disbursed
 * and the invoices it pays). The three-way match itself is computed when read, per payer,
 * program and month, so a link corrected later changes the months it touches and no other.
 */
export interface ReconInvoiceRow extends Record<string, unknown> {
  invoice_id: string;
  program_id: string;
  payer: string;
  owner_region: string;
  month: string;
  total_amount: number;
  cancelled: number;
  /** The latest bill's id, version and amount; null until BPJS billed the invoice. */
  bill_id: string | null;
  bill_version: number | null;
  billed_amount: number | null;
  /** Of the latest bill's lines: rupiah billed for no line of the roster (a NIK not covered, a KPJ only). */
  billed_not_on_roster: number;
  /** Of the latest bill's lines: rupiah of roster lines the bill does not name. */
  roster_not_billed: number;
  /**
   * Of the latest bill's lines not on the roster: those whose NIK another program claimed, with
   * those enrollments (no NIK), for COVERED_BY_TWO_PAYERS.
   */
  elsewhere: ElsewhereLine[];
}

export interface ElsewhereLine {
  amount: number;
  candidates: { enrollmentId: string; programId: string }[];
}

export type StoredReconInvoiceRow = Omit<Columns<ReconInvoiceRow>, 'elsewhere'> & { elsewhere: string };

export interface ReconSp2dRow extends Record<string, unknown> {
  sp2d_key: string;
  program_id: string;
  fiscal_year: number;
  number: string;
  date: string;
  /** YYYY-MM of its date: where an SP2D linked to no invoice shows. */
  month: string;
  amount: number;
  account_code: string;
  cancelled: number;
  invoice_ids: string[];
}

export type StoredReconSp2dRow = Omit<Columns<ReconSp2dRow>, 'invoice_ids'> & { invoice_ids: string };

type InvoiceEvent = Extract<DuesEvent, { type: 'InvoiceIssued' | 'InvoiceAdjusted' | 'InvoiceCancelled' }>;
type BillEvent = BpjsBillEvent;

export const reconInvoicesProjection: RowProjection<ReconInvoiceRow> = {
  kind: 'rows',
  name: 'reconciliation_invoices',
  version: 2,
  handles: [
    'InvoiceIssued',
    'InvoiceAdjusted',
    'InvoiceCancelled',
    'BpjsBillRecorded',
    'BpjsBillLinesRecorded',
  ],
  table: {
    name: 'reconciliation_invoices',
    columns: {
      invoice_id: { type: 'text' },
      program_id: { type: 'text' },
      payer: { type: 'text' },
      owner_region: { type: 'text' },
      month: { type: 'text' },
      total_amount: { type: 'integer' },
      cancelled: { type: 'integer' },
      bill_id: { type: 'text', nullable: true },
      bill_version: { type: 'integer', nullable: true },
      billed_amount: { type: 'integer', nullable: true },
      billed_not_on_roster: { type: 'integer' },
      roster_not_billed: { type: 'integer' },
      elsewhere: { type: 'json' },
    },
    primaryKey: ['invoice_id'],
    indexes: [['program_id', 'month']],
  },
  keyOf: (event) => (event.data as { invoiceId?: string }).invoiceId ?? null,
  evolve(row, recorded) {
    const event = recorded as unknown as InvoiceEvent | BillEvent;
    switch (event.type) {
      case 'InvoiceIssued':
        return {
          invoice_id: event.data.invoiceId,
          program_id: event.data.programId,
          payer: event.data.payer,
          owner_region: event.data.ownerRegion,
          month: event.data.month,
          total_amount: event.data.totalAmount,
          cancelled: 0,
          bill_id: null,
          bill_version: null,
          billed_amount: null,
          billed_not_on_roster: 0,
          roster_not_billed: 0,
          elsewhere: [],
        };
      case 'InvoiceAdjusted':
        return row && { ...row, total_amount: event.data.totalAfter };
      case 'InvoiceCancelled':
        return row && { ...row, cancelled: 1 };
      case 'BpjsBillRecorded':
        if (!row || (row.bill_version !== null && row.bill_version >= event.data.version)) return row;
        return {
          ...row,
          bill_id: event.data.billId,
          bill_version: event.data.version,
          billed_amount: event.data.billed.amount,
          billed_not_on_roster: 0,
          roster_not_billed: 0,
          elsewhere: [],
        };
      case 'BpjsBillLinesRecorded': {
        // The lines follow their bill in the same append; an earlier version's lines are ignored.
        if (!row || row.bill_id !== event.data.billId) return row;
        let notOnRoster = row.billed_not_on_roster;
        let notBilled = row.roster_not_billed;
        const elsewhere = [...row.elsewhere];
        for (const line of event.data.lines) {
          if (line.differences.includes('tidak_tercakup') || line.differences.includes('tanpa_nik'))
            notOnRoster += line.billedAmount ?? 0;
          if (line.differences.includes('tidak_ditagih')) notBilled += line.invoicedAmount ?? 0;
          if (line.differences.includes('tidak_tercakup') && line.coveredElsewhere)
            elsewhere.push({ amount: line.billedAmount ?? 0, candidates: line.coveredElsewhere });
        }
        return { ...row, billed_not_on_roster: notOnRoster, roster_not_billed: notBilled, elsewhere };
      }
      default:
        return row;
    }
  },
};

const sp2dKey = (programId: string, fiscalYear: number, number: string) =>
  `${programId}|${fiscalYear}|${number}`;

export const reconSp2dProjection: RowProjection<ReconSp2dRow> = {
  kind: 'rows',
  name: 'reconciliation_sp2d',
  version: 1,
  handles: ['Sp2dRecorded', 'TreasuryDocumentCancelled', 'Sp2dInvoicesLinked'],
  table: {
    name: 'reconciliation_sp2d',
    columns: {
      sp2d_key: { type: 'text' },
      program_id: { type: 'text' },
      fiscal_year: { type: 'integer' },
      number: { type: 'text' },
      date: { type: 'text' },
      month: { type: 'text' },
      amount: { type: 'integer' },
      account_code: { type: 'text' },
      cancelled: { type: 'integer' },
      invoice_ids: { type: 'json' },
    },
    primaryKey: ['sp2d_key'],
    indexes: [['program_id', 'fiscal_year']],
  },
  keyOf(recorded) {
    const event = recorded as unknown as TreasuryEvent;
    switch (event.type) {
      case 'Sp2dRecorded':
        return sp2dKey(event.data.programId, event.data.fiscalYear, event.data.number);
      case 'TreasuryDocumentCancelled':
        return event.data.kind === 'sp2d'
          ? sp2dKey(event.data.programId, event.data.fiscalYear, event.data.number)
          : null;
      case 'Sp2dInvoicesLinked':
        return sp2dKey(event.data.programId, event.data.fiscalYear, event.data.sp2dNumber);
      default:
        return null;
    }
  },
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as TreasuryEvent;
    switch (event.type) {
      case 'Sp2dRecorded':
        return {
          sp2d_key: sp2dKey(event.data.programId, event.data.fiscalYear, event.data.number),
          program_id: event.data.programId,
          fiscal_year: event.data.fiscalYear,
          number: event.data.number,
          date: event.data.date,
          month: event.data.date.slice(0, 7),
          amount: event.data.amount,
          account_code: event.data.accountCode,
          cancelled: 0,
          invoice_ids: [],
        };
      case 'TreasuryDocumentCancelled':
        return row && { ...row, cancelled: 1 };
      case 'Sp2dInvoicesLinked':
        // A later link replaces the earlier one.
        return row && { ...row, invoice_ids: [...event.data.invoiceIds] };
      default:
        return row;
    }
  },
};

/** A budget line's current amount, per program, fiscal year and account code. */
export interface ReconBudgetLineRow extends Record<string, unknown> {
  line_key: string;
  program_id: string;
  fiscal_year: number;
  account_code: string;
  amount: number;
}

export const reconBudgetLinesProjection: RowProjection<ReconBudgetLineRow> = {
  kind: 'rows',
  name: 'reconciliation_budget_lines',
  version: 1,
  handles: ['BudgetLineSet'],
  table: {
    name: 'reconciliation_budget_lines',
    columns: {
      line_key: { type: 'text' },
      program_id: { type: 'text' },
      fiscal_year: { type: 'integer' },
      account_code: { type: 'text' },
      amount: { type: 'integer' },
    },
    primaryKey: ['line_key'],
    indexes: [['program_id', 'fiscal_year']],
  },
  keyOf(recorded) {
    const event = recorded as unknown as TreasuryEvent;
    return event.type === 'BudgetLineSet'
      ? sp2dKey(event.data.programId, event.data.fiscalYear, event.data.accountCode)
      : null;
  },
  evolve(row, recorded) {
    const event = recorded as unknown as TreasuryEvent;
    if (event.type !== 'BudgetLineSet') return row;
    return {
      line_key: sp2dKey(event.data.programId, event.data.fiscalYear, event.data.accountCode),
      program_id: event.data.programId,
      fiscal_year: event.data.fiscalYear,
      account_code: event.data.accountCode,
      amount: event.data.amount,
    };
  },
};
