import { RECONCILIATION_LABELS, type ReconciliationCode } from '../reconciliation/reconciliation.query';
import type { StatementView } from '../reconciliation/statement.query';
import type { ReportAbout, ReportTable } from './report-table';

const FIGURE_LABELS = {
  roster: 'Menurut roster',
  billed: 'Ditagih BPJS',
  disbursed: 'Dicairkan (SP2D)',
} as const;

const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

/** `2026-03` as `Maret 2026`, `2026` as `Tahun Anggaran 2026`. */
export function periodLabel(period: string): string {
  if (/^\d{4}$/.test(period)) return `Tahun Anggaran ${period}`;
  return `${MONTHS_ID[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** `2026-04-02` as `2 April 2026`. */
export function dayLabel(day: string): string {
  return `${Number(day.slice(8, 10))} ${MONTHS_ID[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
}

/** An instant in WIB (UTC+7), as `2 April 2026 pukul 09.15 WIB`. */
export function instantLabel(iso: string): string {
  const wib = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString();
  return `${dayLabel(wib.slice(0, 10))} pukul ${wib.slice(11, 13)}.${wib.slice(14, 16)} WIB`;
}

export const labelOf = (code: string) => RECONCILIATION_LABELS[code as ReconciliationCode] ?? code;

/** The title block of the statement's XLSX: parties, period, signer and both times. */
export function statementAbout(view: StatementView, programName: string, payer: string): ReportAbout {
  return {
    title: 'Berita Acara Rekonsiliasi Iuran BPJS Ketenagakerjaan',
    facts: [
      { label: 'Nomor', value: view.statementId },
      { label: 'Program', value: programName },
      { label: 'Pihak pertama (pembayar)', value: payer },
      { label: 'Pihak kedua', value: view.counterparty ?? '-' },
      { label: 'Periode', value: periodLabel(view.period) },
      { label: 'Ditandatangani oleh (jabatan)', value: view.signer.position },
      { label: 'Dicatat oleh akun', value: view.signer.account },
      { label: 'Tanggal berita acara', value: dayLabel(view.signedOn) },
      { label: 'Dicatat pada', value: instantLabel(view.recordedAt) },
      { label: 'Posisi log saat dibekukan', value: view.readPosition },
      {
        label: 'Status',
        value: view.supersededBy
          ? `Digantikan oleh ${view.supersededBy}`
          : view.changedAfterStatement
            ? 'Berlaku; ada perubahan setelah berita acara'
            : 'Berlaku',
      },
    ],
  };
}

/** The line left under the signature space for the name, written by hand at signing. */
export const HANDWRITTEN_NAME = 'Nama: ............................';

/** The totals frozen and now, the differences frozen, what changed after, and who signs. */
export function statementTables(view: StatementView, payer: string): ReportTable[] {
  return [
    {
      name: 'Jumlah',
      columns: [
        { key: 'item', header: 'Uraian' },
        { key: 'frozen', header: 'Pada berita acara', format: 'rupiah' },
        { key: 'current', header: 'Saat ini', format: 'rupiah' },
        { key: 'difference', header: 'Setelah berita acara', format: 'rupiah' },
      ],
      rows: (['roster', 'billed', 'disbursed'] as const).map((f) => ({
        item: FIGURE_LABELS[f],
        frozen: view.frozen[f],
        current: view.current[f],
        difference: view.current[f] - view.frozen[f],
      })),
    },
    {
      name: 'Selisih',
      columns: [
        { key: 'month', header: 'Bulan' },
        { key: 'code', header: 'Kode' },
        { key: 'label', header: 'Keterangan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'sp2dNumbers', header: 'SP2D' },
        { key: 'amount', header: 'Jumlah', format: 'rupiah' },
      ],
      rows: view.frozen.lines.map((l) => ({
        month: l.month,
        code: l.code,
        label: labelOf(l.code),
        invoiceId: l.invoiceId ?? '',
        sp2dNumbers: l.sp2dNumbers.join(', '),
        amount: l.amount,
      })),
    },
    {
      name: 'Setelah berita acara',
      columns: [
        { key: 'month', header: 'Bulan' },
        { key: 'code', header: 'Kode' },
        { key: 'label', header: 'Keterangan' },
        { key: 'invoiceId', header: 'Tagihan' },
        { key: 'frozen', header: 'Pada berita acara', format: 'rupiah' },
        { key: 'current', header: 'Saat ini', format: 'rupiah' },
        { key: 'difference', header: 'Perubahan', format: 'rupiah' },
      ],
      rows: view.lineChanges.map((l) => ({
        month: l.month,
        code: l.code,
        label: labelOf(l.code),
        invoiceId: l.invoiceId ?? '',
        frozen: l.frozen,
        current: l.current,
        difference: l.difference,
      })),
    },
    {
      name: 'Tanda tangan',
      columns: [
        { key: 'party', header: 'Pihak' },
        { key: 'position', header: 'Jabatan' },
        { key: 'recorded', header: 'Dicatat di ledger' },
        { key: 'signature', header: 'Tanda tangan' },
        { key: 'name', header: 'Nama (ditulis tangan)' },
      ],
      // No name is recorded: the space is signed and the name written by hand on paper.
      rows: [
        {
          party: `Pihak pertama: ${payer}`,
          position: view.signer.position,
          recorded: `akun ${view.signer.account}, ${instantLabel(view.recordedAt)}`,
          signature: '',
          name: HANDWRITTEN_NAME,
        },
        {
          party: `Pihak kedua: ${view.counterparty ?? '-'}`,
          position: '',
          recorded: '',
          signature: '',
          name: HANDWRITTEN_NAME,
        },
      ],
    },
  ];
}
