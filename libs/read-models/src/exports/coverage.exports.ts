import type { CoverageRankings, CoverageReport, CoverageSeries } from '../coverage/coverage.query';
import type { ProgramSummary } from '../enrollments/enrollments.query';
import type { ReportTable } from './report-table';

const ACTIVE = { key: 'active', header: 'Peserta aktif' };
/** Active participants, the baseline and coverage: the measures of every coverage table. */
const MEASURES = [
  ACTIVE,
  { key: 'workingPopulation', header: 'Penduduk bekerja' },
  { key: 'coverage', header: 'Cakupan (%)' },
];
const CODE_AND_NAME = [
  { key: 'code', header: 'Kode' },
  { key: 'name', header: 'Nama' },
];

/** The region and those below it, then every breakdown as (breakdown, category, active). */
export function coverageTables(report: CoverageReport): ReportTable[] {
  const breakdown = (name: string, items: { key: string; active: number }[]) =>
    items.map((i) => ({ breakdown: name, key: i.key, active: i.active }));
  const { region } = report;
  return [
    {
      name: 'Wilayah',
      columns: [...CODE_AND_NAME, { key: 'level', header: 'Tingkat' }, ...MEASURES],
      rows: [
        {
          code: region.code,
          name: region.name,
          level: region.level,
          active: report.active,
          workingPopulation: report.baseline?.workingPopulation ?? null,
          coverage: report.coverage.ofWorkingPopulation,
        },
        ...report.below,
      ],
    },
    {
      name: 'Rincian',
      columns: [{ key: 'breakdown', header: 'Rincian' }, { key: 'key', header: 'Kategori' }, ACTIVE],
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
  ];
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
        { key: 'previousCoverage', header: 'Cakupan bulan lalu (%)' },
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
        ['Kuota terpakai (%)', summary.quotaUse.percent],
        ['Iuran per bulan', summary.monthlyContribution],
        ['Kewajiban iuran bulanan', summary.monthlyLiability],
        ...deregistrations.map(([reason, n]) => [`Berhenti: ${reason}`, n]),
      ].map(([item, value]) => ({ item, value })),
    },
  ];
}
