import type { ContributionMonth } from '../finance/contribution-months/contribution-months.query';
import type { MonthFigures, ProgramMonths } from '../finance/program-months/program-months.query';
import type { RefundableReport } from '../finance/refundable/refundable-report.query';
import type { FinanceSummary } from '../finance/summary/finance-summary.query';
import { formatted, type ReportColumn, type ReportTable } from './report-table';

const rupiah = (key: string, header: string): ReportColumn => ({ key, header, format: 'rupiah' });

/** The money columns every finance table shares, arrears by age spread over four. */
const FIGURES: ReportColumn[] = [
  rupiah('owed', 'Kewajiban iuran'),
  rupiah('billedByBpjs', 'Tagihan BPJS'),
  rupiah('paid', 'Dibayar'),
  rupiah('outstanding', 'Belum dibayar'),
  rupiah('arrearsUpTo1', 'Tunggakan ≤1 bulan'),
  rupiah('arrears2', 'Tunggakan 2 bulan'),
  rupiah('arrears3', 'Tunggakan 3 bulan'),
  rupiah('arrearsOver3', 'Tunggakan >3 bulan'),
  rupiah('overpaid', 'Kelebihan bayar'),
  rupiah('refundable', 'Dapat dikembalikan'),
  rupiah('refunded', 'Sudah dikembalikan'),
  { key: 'lines', header: 'Peserta-bulan', format: 'integer' },
  { key: 'paidLines', header: 'Lunas', format: 'integer' },
  { key: 'partialLines', header: 'Dibayar sebagian', format: 'integer' },
  { key: 'unpaidLines', header: 'Belum dibayar (peserta)', format: 'integer' },
  { key: 'lapsedWorkers', header: 'Kepesertaan berakhir karena tunggakan', format: 'integer' },
];

const STATUS_LABELS: Record<string, string> = {
  notIssued: 'Belum ditagih',
  open: 'Belum dibayar',
  partly_paid: 'Dibayar sebagian',
  paid: 'Lunas',
  cancelled: 'Dibatalkan',
  partial: 'Dibayar sebagian',
  unpaid: 'Belum dibayar',
  refundable: 'Dapat dikembalikan',
  refunded: 'Sudah dikembalikan',
};

const statusLabel = (status: string) => STATUS_LABELS[status] ?? status;

function flat(figures: MonthFigures): Record<string, unknown> {
  const { arrears, ...rest } = figures;
  return {
    ...rest,
    arrearsUpTo1: arrears.upTo1,
    arrears2: arrears.months2,
    arrears3: arrears.months3,
    arrearsOver3: arrears.over3,
  };
}

/** A program's months, a total line, and its budget use as (item, value) lines. */
export function programMonthsTables(found: ProgramMonths): ReportTable[] {
  const { budget } = found;
  return [
    {
      name: 'Per bulan',
      columns: [
        { key: 'month', header: 'Bulan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'status', header: 'Status' },
        { key: 'dueDate', header: 'Jatuh tempo' },
        ...FIGURES,
      ],
      rows: [
        ...found.months.map((m) => ({
          ...flat(m),
          month: m.month,
          invoiceId: m.invoiceId,
          status: statusLabel(m.status),
          dueDate: m.dueDate,
        })),
        { ...flat(found.totals), month: 'Jumlah' },
      ],
    },
    {
      name: 'Anggaran',
      columns: [
        { key: 'item', header: 'Butir' },
        { key: 'value', header: 'Nilai' },
      ],
      rows: [
        ['Pagu anggaran', formatted(budget.ceiling, 'rupiah')],
        ['Kewajiban sampai tanggal', formatted(budget.owedToDate, 'rupiah')],
        ['Kewajiban sampai akhir periode (proyeksi)', formatted(budget.projectedToPeriodEnd, 'rupiah')],
        ['Terpakai sampai tanggal (%)', formatted(budget.owedPercent, 'percent')],
        ['Terpakai sampai akhir periode (%)', formatted(budget.projectedPercent, 'percent')],
        ['Sisa pagu setelah proyeksi', formatted(budget.remaining, 'rupiah')],
      ].map(([item, value]) => ({ item, value })),
    },
  ];
}

export function financeSummaryTables(summary: FinanceSummary): ReportTable[] {
  return [
    {
      name: 'Per program',
      columns: [
        { key: 'name', header: 'Program' },
        { key: 'ownerRegion', header: 'Wilayah pemilik' },
        { key: 'payer', header: 'Pemberi bantuan iuran' },
        ...FIGURES,
        rupiah('budgetCeiling', 'Pagu anggaran'),
        rupiah('projected', 'Proyeksi sampai akhir periode'),
        { key: 'projectedPercent', header: 'Proyeksi terhadap pagu (%)', format: 'percent' },
      ],
      rows: [
        ...summary.programs.map((p) => ({
          ...flat(p),
          name: p.name,
          ownerRegion: p.ownerRegion,
          payer: p.payer,
          budgetCeiling: p.budget.ceiling,
          projected: p.budget.projectedToPeriodEnd,
          projectedPercent: p.budget.projectedPercent,
        })),
        { ...flat(summary.totals), name: 'Jumlah' },
      ],
    },
    {
      name: 'Per bulan',
      columns: [{ key: 'month', header: 'Bulan' }, ...FIGURES],
      rows: [
        ...summary.months.map((m) => ({ ...flat(m), month: m.month })),
        { ...flat(summary.totals), month: 'Jumlah' },
      ],
    },
  ];
}

export function refundableTables(report: RefundableReport): ReportTable[] {
  return [
    {
      name: 'Per tagihan',
      columns: [
        { key: 'payer', header: 'Pemberi bantuan iuran' },
        { key: 'month', header: 'Bulan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'lines', header: 'Peserta-bulan', format: 'integer' },
        rupiah('linesAmount', 'Iuran peserta yang berakhir'),
        rupiah('overpaid', 'Kelebihan bayar'),
        rupiah('total', 'Dapat dikembalikan'),
      ],
      rows: [...report.invoices.map((r) => ({ ...r })), { payer: 'Jumlah', ...report.totals }],
    },
    {
      name: 'Per peserta-bulan',
      columns: [
        { key: 'payer', header: 'Pemberi bantuan iuran' },
        { key: 'month', header: 'Bulan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'line', header: 'Baris', format: 'integer' },
        { key: 'enrollmentId', header: 'Pendaftaran' },
        { key: 'endReason', header: 'Alasan berakhir', format: 'code' },
        { key: 'endedOn', header: 'Hari terakhir' },
        rupiah('amount', 'Dapat dikembalikan'),
      ],
      rows: report.lines.map((l) => ({ ...l })),
    },
  ];
}

/** The participant history's contribution months. */
export function contributionMonthsTable(months: ContributionMonth[], on: string): ReportTable {
  return {
    name: `Iuran per ${on}`,
    columns: [
      { key: 'month', header: 'Bulan' },
      { key: 'programId', header: 'Program' },
      { key: 'invoiceId', header: 'Tagihan' },
      rupiah('amount', 'Iuran'),
      rupiah('paid', 'Dibayar'),
      { key: 'state', header: 'Status' },
      { key: 'dueDate', header: 'Jatuh tempo' },
    ],
    rows: months.map((m) => ({ ...m, state: statusLabel(m.state) })),
  };
}
