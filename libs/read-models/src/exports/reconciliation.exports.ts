import type { Reconciliation } from '../reconciliation/reconciliation.query';
import type { ReportTable } from './report-table';

/** The months with their three amounts and a total line, then every difference line. */
export function reconciliationTables(found: Reconciliation): ReportTable[] {
  return [
    {
      name: 'Per bulan',
      columns: [
        { key: 'month', header: 'Bulan' },
        { key: 'roster', header: 'Menurut roster', format: 'rupiah' },
        { key: 'billed', header: 'Ditagih BPJS', format: 'rupiah' },
        { key: 'disbursed', header: 'Dicairkan (SP2D)', format: 'rupiah' },
        { key: 'differences', header: 'Selisih', format: 'integer' },
      ],
      rows: [
        ...found.months.map((m) => ({
          month: m.month,
          roster: m.roster,
          billed: m.billed,
          disbursed: m.disbursed,
          differences: m.lines.length,
        })),
        {
          month: 'Jumlah',
          roster: found.roster,
          billed: found.billed,
          disbursed: found.disbursed,
          differences: found.lines.length,
        },
      ],
    },
    {
      name: 'Selisih',
      columns: [
        { key: 'month', header: 'Bulan' },
        { key: 'code', header: 'Kode', format: 'code' },
        { key: 'label', header: 'Keterangan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'sp2dNumbers', header: 'SP2D' },
        { key: 'amount', header: 'Jumlah', format: 'rupiah' },
      ],
      rows: found.lines.map((l) => ({
        ...l,
        invoiceId: l.invoiceId ?? '',
        sp2dNumbers: l.sp2dNumbers.join(', '),
      })),
    },
  ];
}
