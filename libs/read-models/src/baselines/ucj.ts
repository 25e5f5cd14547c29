import { percent } from '../coverage/percent';
import type { ReadQuery } from '../read-schema';
import type { BaselineInfo } from './baselines.query';
import { outsideParticipantsFor, type OutsideFigure } from './outside-participants.query';

/** What a UCJ lacks when it is not computed. */
export type UcjPart = 'outsideParticipants' | 'workingPopulation';

/**
 * A region's UCJ (Universal Coverage Jamsostek) on a day, each part with its source:
 *
 * - `funded`: the participants this ledger counts, active on the day (programs pay for them);
 * - `outside`: the BPJS Ketenagakerjaan participants no program of this ledger pays for, the
 *   figure in force on the day (the latest counted on or before it) — never including the
 *   ledger's own, or they would be counted twice;
 * - `workingPopulation`: the denominator, the baseline of the day's year.
 *
 * UCJ = (funded + outside) ÷ working population, as a percent like every coverage figure;
 * null, with `missing` naming the parts, when the outside figure or the denominator is absent.
 */
export interface Ucj {
  percent: number | null;
  participants: number | null;
  funded: { participants: number; date: string; source: string };
  outside: OutsideFigure | null;
  workingPopulation: { count: number; year: number; source: string } | null;
  missing: UcjPart[];
  note: string | null;
}

export function ucjOf(
  regionName: string,
  date: string,
  funded: number,
  outside: OutsideFigure | null,
  baseline: BaselineInfo | null,
): Ucj {
  const missing: UcjPart[] = [];
  if (!outside) missing.push('outsideParticipants');
  // A denominator of 0 gives no percent, as everywhere coverage is shown.
  if (!baseline || baseline.workingPopulation === 0) missing.push('workingPopulation');
  const participants = outside ? funded + outside.participants : null;
  const notes: string[] = [];
  if (!outside)
    notes.push(`Belum ada data peserta BPJS Ketenagakerjaan di luar program untuk ${regionName} per ${date}`);
  if (missing.includes('workingPopulation'))
    notes.push(`Belum ada data penduduk bekerja untuk ${regionName} tahun ${date.slice(0, 4)}`);
  if (participants !== null && baseline && participants > baseline.workingPopulation) {
    // More participants than workers: most likely the outside figure already holds the
    // program's participants (BPJS's total rather than the part outside the ledger).
    notes.push(
      `Peserta (${participants}) melebihi penduduk bekerja (${baseline.workingPopulation}): ` +
        'periksa apakah data di luar program juga memuat peserta program (terhitung dua kali)',
    );
  }
  return {
    percent: participants === null ? null : percent(participants, baseline?.workingPopulation),
    participants,
    funded: {
      participants: funded,
      date,
      source: `Ledger ini: peserta aktif program daerah per ${date}`,
    },
    outside,
    workingPopulation: baseline
      ? { count: baseline.workingPopulation, year: baseline.year, source: baseline.source }
      : null,
    missing,
    note: notes.length > 0 ? `${notes.join('; ')}${missing.length > 0 ? '; UCJ tidak dihitung' : ''}` : null,
  };
}

/** The part of a coverage report UCJ is computed from: the region and those below it. */
interface CoverageParts {
  region: { code: string; name: string };
  date: string;
  active: number;
  baseline: BaselineInfo | null;
  below: { code: string; active: number; workingPopulation: number | null }[];
}

/**
 * A coverage report with its UCJ: in full for the region, and for each region below it the
 * outside figure in force (with its day and source) and the resulting UCJ percent.
 */
export async function withUcj<R extends CoverageParts>(db: ReadQuery, report: R, knownAt?: number) {
  const figures = await outsideParticipantsFor(
    db,
    [report.region.code, ...report.below.map((b) => b.code)],
    report.date,
    knownAt,
  );
  const below = report.below.map((b) => {
    const outside = figures.get(b.code) ?? null;
    return {
      ...b,
      outsideParticipants: outside?.participants ?? null,
      outsideAsOf: outside?.asOf ?? null,
      outsideSource: outside?.source ?? null,
      ucj: outside ? percent(b.active + outside.participants, b.workingPopulation) : null,
    };
  });
  const ucj = ucjOf(
    report.region.name,
    report.date,
    report.active,
    figures.get(report.region.code) ?? null,
    report.baseline,
  );
  return { ...report, ucj, below };
}
