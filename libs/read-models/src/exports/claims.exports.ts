import type { ClaimsReport } from '../claims/claims-report.query';
import type { ReportAbout, ReportTable } from './report-table';

/** The claims report as downloaded: the groups, then the days to payment per regency. */
export function claimsReportTables(report: ClaimsReport): ReportTable[] {
  return [
    {
      name: 'Klaim',
      columns: [
        { key: 'regency', header: 'Kabupaten/kota' },
        { key: 'programId', header: 'Program' },
        { key: 'kind', header: 'Jenis' },
        { key: 'status', header: 'Status', format: 'code' },
        { key: 'month', header: 'Bulan kejadian' },
        { key: 'claims', header: 'Jumlah klaim', format: 'integer' },
        { key: 'amount', header: 'Nilai disetujui', format: 'rupiah' },
        { key: 'paidAmount', header: 'Nilai dibayar', format: 'rupiah' },
      ],
      rows: report.groups.map((g) => ({ ...g })),
    },
    {
      name: 'Waktu bayar',
      columns: [
        { key: 'regency', header: 'Kabupaten/kota' },
        { key: 'paidClaims', header: 'Klaim dibayar', format: 'integer' },
        { key: 'medianDays', header: 'Median hari kejadian s.d. bayar', format: 'integer' },
        { key: 'p90Days', header: 'P90 hari kejadian s.d. bayar', format: 'integer' },
      ],
      rows: report.paymentDelay.map((d) => ({ ...d })),
    },
  ];
}

export function claimsReportAbout(report: ClaimsReport): ReportAbout {
  return {
    title: `Laporan klaim JKM dan JKK wilayah ${report.region}`,
    facts: [
      { label: 'Wilayah', value: report.region },
      ...(report.programId ? [{ label: 'Program', value: report.programId }] : []),
      ...(report.kind ? [{ label: 'Jenis', value: report.kind }] : []),
      ...(report.year !== null ? [{ label: 'Tahun kejadian', value: report.year }] : []),
      ...(report.asOf !== undefined ? [{ label: 'Per tanggal', value: report.asOf }] : []),
      ...(report.knownAt !== undefined
        ? [{ label: 'Menurut catatan per posisi log', value: report.knownAt }]
        : []),
      { label: 'Jumlah klaim', value: report.totals.claims },
    ],
  };
}
