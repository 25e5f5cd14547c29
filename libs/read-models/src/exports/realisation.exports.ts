import type { Realisation } from '../reconciliation/realisation.query';
import type { ReportTable } from './report-table';

/** One row per budget line, then the total (the sum of the lines). */
export function realisationTables(found: Realisation): ReportTable[] {
  const money = (key: string, header: string) => ({ key, header, format: 'rupiah' as const });
  return [
    {
      name: 'Realisasi anggaran',
      columns: [
        { key: 'accountCode', header: 'Kode rekening' },
        money('appropriated', 'Pagu'),
        money('disbursed', 'Realisasi (SP2D)'),
        money('billed', 'Ditagih BPJS'),
        money('owed', 'Kewajiban s.d. tanggal'),
        money('projected', 'Proyeksi s.d. akhir periode'),
        money('remaining', 'Sisa pagu'),
      ],
      rows: [
        ...found.lines.map((l) => ({
          ...l,
          accountCode: l.accountCode ?? 'Belum ditautkan ke kode rekening',
        })),
        { accountCode: 'Jumlah', ...found.total },
      ],
    },
  ];
}
