import type { CoverageRankings, CoverageReport, CoverageSeries } from '../coverage/coverage.query';
import type { ProgramSummary } from '../enrollments/enrollments.query';
import { formatted, type ReportTable } from './report-table';
import { labelOf } from './spreadsheet';

const ACTIVE = { key: 'active', header: 'Peserta aktif' };
/** Active participants, the baseline and coverage: the measures of every coverage table. */
const MEASURES = [
  ACTIVE,
  { key: 'workingPopulation', header: 'Penduduk bekerja' },
  { key: 'coverage', header: 'Cakupan (%)', format: 'percent' as const },
];
/**
 * The participants BPJS counts outside the ledger (never the ledger's own), the day and source
 * of that figure, and the resulting UCJ: (active + outside) ÷ working population.
 */
const UCJ_MEASURES = [
  { key: 'outsideParticipants', header: 'Peserta di luar program' },
  { key: 'outsideAsOf', header: 'Tanggal data di luar program' },
  { key: 'outsideSource', header: 'Sumber data di luar program' },
  { key: 'ucj', header: 'UCJ (%)', format: 'percent' as const },
];
const CODE_AND_NAME = [
  { key: 'code', header: 'Kode' },
  { key: 'name', header: 'Nama' },
];

/**
 * The region and those below it, then every breakdown as (breakdown, category, active), then
 * the region's UCJ part by part, each with its day and source.
 */
export function coverageTables(report: CoverageReport): ReportTable[] {
  const breakdown = (name: string, items: { key: string; active: number }[]) =>
    items.map((i) => ({ breakdown: name, key: i.key, active: i.active }));
  const { region } = report;
  return [
    {
      name: 'Wilayah',
      columns: [
        ...CODE_AND_NAME,
        { key: 'level', header: 'Tingkat', format: 'code' },
        ...MEASURES,
        ...UCJ_MEASURES,
      ],
      rows: [
        {
          code: region.code,
          name: region.name,
          level: region.level,
          active: report.active,
          workingPopulation: report.baseline?.workingPopulation ?? null,
          coverage: report.coverage.ofWorkingPopulation,
          outsideParticipants: report.ucj.outside?.participants ?? null,
          outsideAsOf: report.ucj.outside?.asOf ?? null,
          outsideSource: report.ucj.outside?.source ?? null,
          ucj: report.ucj.percent,
        },
        ...report.below,
      ],
    },
    {
      name: 'Rincian',
      columns: [
        { key: 'breakdown', header: 'Rincian' },
        { key: 'key', header: 'Kategori', format: 'code' },
        ACTIVE,
      ],
      rows: [
        ...breakdown(
          'program',
          report.byProgram.map((p) => ({ key: p.name, active: p.active })),
        ),
        ...breakdown('pemberi', report.byPayer),
        ...breakdown('sumber dana', report.byFundingSource),
        ...breakdown('pekerjaan', report.byOccupation),
        ...breakdown('jenis kelamin', report.bySex),
        ...breakdown('kelompok umur', report.byAgeBand),
      ],
    },
    ucjTable(report),
  ];
}

function ucjTable({ ucj, date }: CoverageReport): ReportTable {
  return {
    name: 'UCJ',
    columns: [
      { key: 'item', header: 'Butir' },
      { key: 'value', header: 'Nilai' },
      { key: 'of', header: 'Per' },
      { key: 'source', header: 'Sumber / catatan' },
    ],
    rows: [
      {
        item: 'Peserta program (ledger)',
        value: ucj.funded.participants,
        of: ucj.funded.date,
        source: ucj.funded.source,
      },
      {
        item: 'Peserta di luar program',
        value: ucj.outside?.participants ?? null,
        of: ucj.outside?.asOf ?? null,
        source: ucj.outside?.source ?? null,
      },
      { item: 'Jumlah peserta', value: ucj.participants, of: date, source: null },
      {
        item: 'Penduduk bekerja',
        value: ucj.workingPopulation?.count ?? null,
        of: ucj.workingPopulation?.year ?? null,
        source: ucj.workingPopulation?.source ?? null,
      },
      { item: 'UCJ (%)', value: ucj.percent, of: date, source: ucj.note },
    ],
  };
}

export function seriesTables(series: CoverageSeries): ReportTable[] {
  return [
    {
      name: 'Deret bulanan',
      columns: [{ key: 'date', header: 'Akhir bulan' }, ...MEASURES],
      rows: series.points,
    },
  ];
}

export function rankingTables(rankings: CoverageRankings): ReportTable[] {
  return [
    {
      name: 'Peringkat',
      columns: [
        { key: 'rank', header: 'Peringkat' },
        ...CODE_AND_NAME,
        ...MEASURES,
        { key: 'previousRank', header: 'Peringkat bulan lalu' },
        { key: 'previousCoverage', header: 'Cakupan bulan lalu (%)', format: 'percent' },
        { key: 'movement', header: 'Perubahan' },
      ],
      rows: rankings.ranking,
    },
  ];
}

/** A program's summary as (item, value) lines, deregistrations by reason last. */
export function programSummaryTables({ summary, deregistrations }: ProgramSummary): ReportTable[] {
  return [
    {
      name: 'Ringkasan',
      columns: [
        { key: 'item', header: 'Butir' },
        { key: 'value', header: 'Nilai' },
      ],
      rows: [
        ['Diusulkan', summary.proposed],
        ['Menunggu verifikasi', summary.pending],
        ['Disetujui', summary.approved],
        ['Ditolak', summary.rejected],
        ['Belum mulai', summary.notYetStarted],
        ['Aktif', summary.active],
        ['Berakhir', summary.ended],
        ['Kuota', summary.quota],
        ['Kuota terpakai (%)', formatted(summary.quotaUse.percent, 'percent')],
        ['Iuran per bulan', formatted(summary.monthlyContribution, 'rupiah')],
        ['Kewajiban iuran bulanan', formatted(summary.monthlyLiability, 'rupiah')],
        ...deregistrations.map(([reason, n]) => [`Berhenti: ${String(labelOf(reason))}`, n]),
      ].map(([item, value]) => ({ item, value })),
    },
  ];
}
