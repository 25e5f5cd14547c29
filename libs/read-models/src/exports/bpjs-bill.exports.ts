import type { BillReport, BillReportLine } from '../bpjs-bills/bpjs-bill.query';
import { formatted, type ReportAbout, type ReportTable } from './report-table';

/** A bill's comparison as the finance office downloads it: the summary, then every line. */
export function bpjsBillTables(report: BillReport, lines: BillReportLine[]): ReportTable[] {
  return [
    {
      name: 'Ringkasan',
      columns: [
        { key: 'item', header: 'Uraian' },
        { key: 'value', header: 'Nilai' },
      ],
      rows: [
        { item: 'Peserta ditagih BPJS', value: report.billed.participants },
        { item: 'Iuran ditagih BPJS', value: formatted(report.billed.amount, 'rupiah') },
        { item: 'Peserta pada invoice', value: report.invoiced.participants },
        { item: 'Iuran pada invoice', value: formatted(report.invoiced.amount, 'rupiah') },
        { item: 'Selisih peserta', value: report.difference.participants },
        { item: 'Selisih iuran', value: formatted(report.difference.amount, 'rupiah') },
        { item: 'Baris cocok', value: report.matchedRows },
        ...report.differences.map((d) => ({ item: d.label, value: d.lines })),
      ],
    },
    {
      name: 'Baris',
      columns: [
        { key: 'row', header: 'Baris berkas', format: 'integer' },
        { key: 'line', header: 'Baris invoice', format: 'integer' },
        { key: 'maskedNik', header: 'NIK (disamarkan)' },
        { key: 'maskedKpj', header: 'KPJ (disamarkan)' },
        { key: 'period', header: 'Periode' },
        { key: 'billedAmount', header: 'Iuran ditagih', format: 'rupiah' },
        { key: 'invoicedAmount', header: 'Iuran invoice', format: 'rupiah' },
        { key: 'status', header: 'Selisih' },
        { key: 'firstRow', header: 'Baris pertama (ganda)', format: 'integer' },
        { key: 'enrollmentId', header: 'ID Pendaftaran' },
      ],
      rows: lines.map((l) => ({
        ...l,
        // The invoice's lines count from 1 for people, as the file's rows do.
        line: l.line === null ? null : l.line + 1,
        status: l.differences.length ? l.differences.map((d) => d.label).join('; ') : 'Cocok',
        firstRow: l.firstRow ?? null,
      })),
    },
  ];
}

export function bpjsBillAbout(report: BillReport): ReportAbout {
  return {
    title: `Perbandingan tagihan BPJS dengan invoice ${report.invoiceId}`,
    facts: [
      { label: 'Bulan', value: report.month },
      { label: 'Versi tagihan', value: `${report.version} dari ${report.versions}` },
      {
        label: 'Sumber',
        value: report.source === 'file' ? `Berkas ${report.file?.name ?? ''}` : 'Total saja',
      },
      { label: 'Diterima', value: report.receivedOn },
    ],
  };
}
