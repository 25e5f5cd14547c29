import type { BackfillMarker } from '../shared/backfill';
import type { IsoDate } from '../shared/dates';
import type { BenefitPackage, ContributionBreakdown } from '../programs/contribution';
import type { CoverageAttributes } from '../enrollment/enrollment.events';
import type { MonthRule, YearMonth } from './obligation';
import type { BpjsBillEvent } from './bpjs-bill/bpjs-bill.events';

/**
 * The money of one program and one calendar month lives on one stream (`streams.dues`): the
 * ledger's own invoice with its frozen roster, its adjustments, the payments and their
 * allocation, refunds, the bills BPJS sent, and the lapses decided on it. Every rule about a
 * participant-month is therefore decided against one stream with its expected revision.
 *
 * Lines are enrollment ids in a fixed order (the line index is the position in that order);
 * every line of an invoice owes the same amount (`lineAmount`, the program package), so an
 * allocation is a count of lines paid in that order plus one partial line. No line carries
 * personal data.
 */

/** Invoice id: `<programId>_<YYYY-MM>`, and `_2`, `_3`… for an invoice issued again after a cancellation. */
export type InvoiceId = string;

/** How many lines one `InvoiceLinesFrozen` event carries at most (bounded events). */
export const LINES_PER_EVENT = 5_000;

export interface InvoiceTerms {
  invoiceId: InvoiceId;
  programId: string;
  month: YearMonth;
  payer: string;
  ownerRegion: string;
  benefitPackage: BenefitPackage;
  breakdown: ContributionBreakdown;
  /** The package's total: what each line owes. */
  lineAmount: number;
  /** The 15th of the month, moved to the next working day. */
  dueDate: IsoDate;
  monthRule: MonthRule;
}

/** A payment's allocation over the invoice's lines, in line order (cancelled lines skipped). */
export interface Allocation {
  /** Paid on the invoice before and after this payment (refunds are not subtracted). */
  paidBefore: number;
  paidAfter: number;
  /** Lines fully paid after this payment, counted in allocation order. */
  fullyPaidLines: number;
  /** The next line in order, partly paid after this payment; null when none is. */
  partialLine: { line: number; amount: number } | null;
  /** Paid beyond the invoice's total after this payment (an over-payment, refundable). */
  overpaid: number;
}

export type DuesEvent =
  | {
      /** The ledger's own bill for the month: the control totals of the roster frozen with it. */
      type: 'InvoiceIssued';
      data: InvoiceTerms & {
        lineCount: number;
        totalAmount: number;
        /** SHA-256 (hex) of the line enrollment ids joined by "\n", in line order. */
        rosterDigest: string;
        /** The log position the roster was read at: it holds every coverage known by then. */
        frozenAtPosition: number;
        /** Effective day of the issue. */
        issuedOn: IsoDate;
        backfill?: BackfillMarker;
      };
    }
  | {
      /** Part of the frozen roster, appended with `InvoiceIssued` (or an adjustment) in one write. */
      type: 'InvoiceLinesFrozen';
      data: { invoiceId: InvoiceId; fromLine: number; enrollmentIds: string[] };
    }
  | {
      /**
       * A later correction of the roster, never a rewrite: lines added at the end (coverage
       * learned after the freeze) and lines cancelled (coverage that turned out not owed).
       * Added lines follow in `InvoiceLinesFrozen` events of the same write.
       */
      type: 'InvoiceAdjusted';
      data: {
        invoiceId: InvoiceId;
        adjustmentId: string;
        reason: string;
        note: string | null;
        addedLines: number;
        cancelledLines: number[];
        amountDelta: number;
        lineCountAfter: number;
        totalAfter: number;
        adjustedOn: IsoDate;
        /** The money already paid, allocated again over the lines after the adjustment (when any was paid). */
        allocation?: Allocation;
      };
    }
  | {
      type: 'InvoiceCancelled';
      data: { invoiceId: InvoiceId; reason: string; cancelledOn: IsoDate };
    }
  | {
      type: 'PaymentRecorded';
      data: {
        invoiceId: InvoiceId;
        paymentId: string;
        amount: number;
        /** Effective day the money was paid. */
        paidOn: IsoDate;
        /** Transfer or virtual-account reference, unique in the ledger (see `streams.paymentReference`). */
        reference: string;
        sp2dNumber: string | null;
        allocation: Allocation;
        backfill?: BackfillMarker;
      };
    }
  | {
      /** Money returned by BPJS by agreement: paid lines whose coverage had ended, or an over-payment. */
      type: 'RefundRecorded';
      data: {
        invoiceId: InvoiceId;
        refundId: string;
        lines: number[];
        /** lines × lineAmount, plus the over-payment refunded. */
        amount: number;
        overpaidRefunded: number;
        reason: RefundReason;
        reference: string | null;
        agreedOn: IsoDate;
        backfill?: BackfillMarker;
      };
    }
  | {
      /**
       * The sweep relied on this month being unpaid for these lines when it lapsed their
       * coverages: written on every month it relied on, so a payment racing the sweep
       * conflicts with it and one of the two decides again.
       */
      type: 'LapseDecided';
      data: { invoiceId: InvoiceId; lines: number[]; asOf: IsoDate };
    }
  | {
      /**
       * A lapse decided on `asOf` that relied on this month turned out wrong: a payment dated
       * on or before `asOf`, recorded later, pays enough that the rule would not have fired.
       * Written on every month the lapse relied on, with the `CoverageReinstated` it causes.
       */
      type: 'LapseReverted';
      data: { invoiceId: InvoiceId; lines: number[]; asOf: IsoDate; paymentId: string };
    }
  /** The bills BPJS sent, compared with the invoice (see bpjs-bill.events.ts). */
  | BpjsBillEvent;

export type RefundReason = 'deceased' | 'deregistered' | 'lapsed' | 'duplicate' | 'overpaid';
export const REFUND_REASONS: readonly RefundReason[] = [
  'deceased',
  'deregistered',
  'lapsed',
  'duplicate',
  'overpaid',
];

/** Claims a payment reference for ever: its stream exists once the reference is used. */
export interface PaymentReferenceEvent {
  type: 'PaymentReferenceUsed';
  data: { invoiceId: InvoiceId; paymentId: string };
}

/**
 * Ends a coverage whose contributions stayed unpaid for more than three consecutive months.
 * Shaped like `EnrollmentDeregistered` (the read models treat both as the end of a coverage)
 * with the months that caused it. Written on the enrollment stream, with `SeatsReleased` and
 * `CoverageReleased` like a deregistration.
 */
export interface CoverageLapsedEvent {
  type: 'CoverageLapsed';
  data: {
    enrollmentId: string;
    programId: string;
    participantId: string;
    coverageFrom: IsoDate;
    /** Last covered day: the end of the grace of the first unpaid month. */
    effectiveDate: IsoDate;
    unpaidMonths: YearMonth[];
    /** The day the sweep decided it (its own `now`). */
    decidedOn: IsoDate;
  } & CoverageAttributes;
}

/**
 * Undoes a lapse that a payment recorded late shows wrong: the payment is dated on or before
 * the day the sweep decided the lapse, and with it the months are paid so that the lapse rule
 * would not have fired on that day. The coverage is restored as it was before the lapse, from
 * the day after the lapse's last covered day (`effectiveDate`): a new fact, never a rewrite.
 * Shaped like `EnrollmentCorrected` (`previous` is the lapsed period), so the read models undo
 * the lapse the way they undo a corrected period. Written on the enrollment stream, with the
 * seat and the NIK claim taken back.
 */
export interface CoverageReinstatedEvent {
  type: 'CoverageReinstated';
  data: {
    enrollmentId: string;
    programId: string;
    participantId: string;
    previous: { coverageFrom: IsoDate; endedOn: IsoDate };
    coverageFrom: IsoDate;
    /** The coverage's end after the reinstatement: open (it follows the program). */
    endedOn: null;
    /** First day covered again: the day after the lapse's last covered day. */
    effectiveDate: IsoDate;
    /** The lapse undone: the day it was decided on, and the payment that showed it wrong. */
    lapseDecidedOn: IsoDate;
    invoiceId: InvoiceId;
    paymentId: string;
    paidOn: IsoDate;
  } & CoverageAttributes;
}

/** The days other than Saturdays and Sundays on which no due date falls (national holidays, cuti bersama). */
export interface CalendarEvent {
  type: 'NonWorkingDaysSet';
  data: { year: number; days: IsoDate[]; note: string | null };
}
