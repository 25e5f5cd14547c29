import type { IsoDate } from '../../shared/dates';
import type { YearMonth } from '../obligation';

/** An invoice's id (`InvoiceId` of contribution.events.ts, which includes these events in its union). */
type InvoiceId = string;

/**
 * What a line of a BPJS bill can differ in from the invoice's frozen roster. Codes are stable
 * (reports, statistics); the labels are Bahasa Indonesia.
 */
export type BillDifference =
  /** Billed, but the NIK holds no active line of the invoice. */
  | 'tidak_tercakup'
  /** An active line of the invoice that the bill does not name. */
  | 'tidak_ditagih'
  /** Billed with another amount than the line owes. */
  | 'jumlah_berbeda'
  /** The NIK was billed on an earlier row of the same bill. */
  | 'ganda'
  /** The NIK's regency (its first four digits) lies outside the program's owner region. */
  | 'luar_wilayah'
  /** The row's period is not the invoice's month. */
  | 'periode_berbeda'
  /** A row with a KPJ number only: the ledger keeps no KPJ numbers, so it matches no line. */
  | 'tanpa_nik';

export const BILL_DIFFERENCES: readonly BillDifference[] = [
  'tidak_tercakup',
  'tidak_ditagih',
  'jumlah_berbeda',
  'ganda',
  'luar_wilayah',
  'periode_berbeda',
  'tanpa_nik',
];

export const BILL_DIFFERENCE_LABELS: Readonly<Record<BillDifference, string>> = {
  tidak_tercakup: 'Ditagih tetapi tidak tercakup',
  tidak_ditagih: 'Tercakup tetapi tidak ditagih',
  jumlah_berbeda: 'Jumlah iuran berbeda',
  ganda: 'Ditagih ganda',
  luar_wilayah: 'Peserta di luar wilayah pembayar',
  periode_berbeda: 'Periode berbeda dari bulan tagihan',
  tanpa_nik: 'Tanpa NIK (nomor KPJ tidak tercatat di ledger)',
};

/** Participants (lines) and rupiah. */
export interface ControlTotals {
  participants: number;
  amount: number;
}

/**
 * One line of a bill's comparison: a row of the bill (with `row`), or an active line of the
 * invoice the bill did not name (`row` null). Only the NIK's HMAC and its masked form: never
 * the NIK, the name or the KPJ number in full.
 */
export interface BillLine {
  /** Row number in the uploaded file as the spreadsheet shows it; null for a line not billed. */
  row: number | null;
  /** The invoice line the row was matched to (or the line not billed); null when none. */
  line: number | null;
  enrollmentId: string | null;
  nikKey: string | null;
  maskedNik: string | null;
  maskedKpj: string | null;
  period: YearMonth | null;
  /** What the bill says the line costs; null for a line not billed. */
  billedAmount: number | null;
  /** What the invoice line owes; null for a row that matched no line. */
  invoicedAmount: number | null;
  differences: BillDifference[];
  /** For `ganda`: the row that billed the NIK first. */
  firstRow?: number;
  /**
   * For `tidak_tercakup`: enrollments of other programs the NIK's registry names (never the
   * NIK): another payer may cover the person that month (COVERED_BY_TWO_PAYERS).
   */
  coveredElsewhere?: { enrollmentId: string; programId: string }[];
}

/** Lines per `BpjsBillLinesRecorded` event at most (bounded events). */
export const BILL_LINES_PER_EVENT = 1_000;

/**
 * The bill BPJS sent for an invoice, compared with its frozen roster. Written on the month's
 * dues stream with its lines in the same append; a bill again for the same invoice is the
 * next version, the earlier ones stay.
 */
export type BpjsBillEvent =
  | {
      type: 'BpjsBillRecorded';
      data: {
        invoiceId: InvoiceId;
        billId: string;
        version: number;
        source: 'file' | 'totals';
        file: { name: string; sha256: string; format: 'csv' | 'xlsx' } | null;
        /** Effective day: when the payer received the bill. */
        receivedOn: IsoDate;
        billed: ControlTotals;
        /** The invoice's active lines and their total when the bill was compared. */
        invoiced: ControlTotals;
        /** billed − invoiced. */
        difference: ControlTotals;
        /** Lines with each difference (a line may have several); zero for a totals-only bill. */
        differenceCounts: Record<BillDifference, number>;
        /** Lines that follow in `BpjsBillLinesRecorded` events (rows, then lines not billed). */
        lineCount: number;
        /** Rows matched to an active line with no difference. */
        matchedRows: number;
      };
    }
  | {
      type: 'BpjsBillLinesRecorded';
      data: { invoiceId: InvoiceId; billId: string; fromIndex: number; lines: BillLine[] };
    };
