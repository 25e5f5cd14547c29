import type { IsoDate } from '../shared/dates';

/**
 * The treasury of one program and one fiscal year lives on one stream (`streams.treasury`):
 * its budget lines, and every SPP → SPM → SP2D with their cancellations and the invoices an
 * SP2D pays. So "an SPM refers to a live SPP", "an SP2D never exceeds its SPM" and "an account
 * code is one of the budget lines" are each decided against one stream with its revision. A
 * number's uniqueness within the regency and year spans programs: it lives in a small guard
 * stream per number (`streams.treasuryNumber`), appended with `no_stream` in the same write.
 */

/** The budget document that set a line: the DPA of the APBD, or its revision (APBD-P). */
export type BudgetDocument = 'DPA' | 'APBD' | 'APBD-P';
export const BUDGET_DOCUMENTS: readonly BudgetDocument[] = ['DPA', 'APBD', 'APBD-P'];

/** SIPD's `jenis_sp_2_d`: a direct payment to a third party such as BPJS is LS. */
export type Sp2dType = 'UP' | 'GU' | 'TU' | 'LS';
export const SP2D_TYPES: readonly Sp2dType[] = ['UP', 'GU', 'TU', 'LS'];

export type TreasuryDocumentKind = 'spp' | 'spm' | 'sp2d';
export const TREASURY_DOCUMENT_KINDS: readonly TreasuryDocumentKind[] = ['spp', 'spm', 'sp2d'];

/** A tax or other amount withheld from an SP2D (SIPD `id_billing`, `nama_pajak_potongan`). */
export interface Deduction {
  billingId: string | null;
  name: string;
  amount: number;
}

export type TreasuryEvent =
  | {
      /** A line set or revised; a revision keeps the amount it replaces. */
      type: 'BudgetLineSet';
      data: {
        programId: string;
        fiscalYear: number;
        accountCode: string;
        document: BudgetDocument;
        fundingSource: string;
        amount: number;
        /** The line's amount before this event; null for a new line. */
        previousAmount: number | null;
        setOn: IsoDate;
      };
    }
  | {
      type: 'SppRecorded';
      data: {
        programId: string;
        fiscalYear: number;
        number: string;
        date: IsoDate;
        amount: number;
        accountCode: string;
      };
    }
  | {
      type: 'SpmRecorded';
      data: {
        programId: string;
        fiscalYear: number;
        number: string;
        date: IsoDate;
        amount: number;
        accountCode: string;
        sppNumber: string;
      };
    }
  | {
      type: 'Sp2dRecorded';
      data: {
        programId: string;
        fiscalYear: number;
        number: string;
        date: IsoDate;
        amount: number;
        accountCode: string;
        spmNumber: string;
        sp2dType: Sp2dType;
        lsType: string | null;
        /** The third party paid (pihak ketiga): an organisation such as BPJS, never a person. */
        recipient: string;
        bank: string;
        deductions: Deduction[];
        /** The import that brought it, when it came from the treasury system's export. */
        importId?: string;
      };
    }
  | {
      /** Pembatalan: the document stays on record, its amount no longer counts, its number stays taken. */
      type: 'TreasuryDocumentCancelled';
      data: {
        programId: string;
        fiscalYear: number;
        kind: TreasuryDocumentKind;
        number: string;
        reason: string;
        cancelledOn: IsoDate;
      };
    }
  | {
      /** The invoices an SP2D pays; a later link of the same SP2D replaces this one. */
      type: 'Sp2dInvoicesLinked';
      data: {
        programId: string;
        fiscalYear: number;
        sp2dNumber: string;
        invoiceIds: string[];
        linkedOn: IsoDate;
        /** The invoices linked before this event (a correction), empty for a first link. */
        previousInvoiceIds: string[];
      };
    }
  | {
      /**
       * A payment of the contributions names this SP2D: written with the payment, at the
       * treasury stream's revision, so a cancellation of the SP2D and the payment naming it
       * are never decided apart.
       */
      type: 'Sp2dNamedByPayment';
      data: {
        programId: string;
        fiscalYear: number;
        sp2dNumber: string;
        invoiceId: string;
        paymentId: string;
        amount: number;
        paidOn: IsoDate;
      };
    };

/** Claims a document number within its regency and year for ever. */
export interface TreasuryNumberEvent {
  type: 'TreasuryNumberClaimed';
  data: {
    regionCode: string;
    fiscalYear: number;
    kind: TreasuryDocumentKind;
    number: string;
    programId: string;
  };
}
