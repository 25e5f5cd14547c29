import type { EnrollmentStreamEvent } from '@ledger/ledger/enrollment/enrollment.state';
import { nextDay } from '../calendar';
import type { SumProjection, TableSpec } from '../runner/projection';

export interface CoverageDeltaRow {
  region_code: string;
  program_id: string;
  dim: string;
  value: string;
  day: string;
  delta: number;
}

/**
 * Coverage as periods, pre-aggregated: +1 on the day a coverage starts and −1 on the day
 * after a deregistration's last day, per region at every level (national `ID`, province,
 * regency, district, village), per program, for the total and per occupation, sex and birth
 * year. "Active on D" is the sum of deltas up to D of the programs still running on D (a
 * program's own end is applied at query time, so amending or closing a program needs no
 * rewrite here). A region's answer reads a few hundred rows, whatever the number of people.
 */
export const coverageTable: TableSpec = {
  name: 'coverage_deltas',
  columns: {
    region_code: { type: 'text' },
    program_id: { type: 'text' },
    dim: { type: 'text' },
    value: { type: 'text' },
    day: { type: 'text' },
    delta: { type: 'integer' },
  },
  primaryKey: ['region_code', 'dim', 'program_id', 'value', 'day'],
};

type CoverageEvent = Extract<
  EnrollmentStreamEvent,
  {
    type:
      | 'EnrollmentApproved'
      | 'EnrollmentDeregistered'
      | 'EnrollmentCorrected'
      | 'CoverageLapsed'
      | 'CoverageReinstated';
  }
>;

export function regionLevels(villageCode: string): string[] {
  return ['ID', villageCode.slice(0, 2), villageCode.slice(0, 4), villageCode.slice(0, 6), villageCode];
}

/**
 * Each approval adds +1 from its first covered day and each deregistration (or lapse) −1 from the day
 * after its last, for the region at every level and for the total, occupation, sex and birth
 * year. A correction undoes the period it names as previous and applies the new one, so the
 * sums stay those of the corrected periods without reading anything back. The runner sums the
 * deltas per key before it writes them.
 */
export const coverageProjection: SumProjection = {
  kind: 'sums',
  name: 'coverage',
  version: 3,
  handles: [
    'EnrollmentApproved',
    'EnrollmentDeregistered',
    'EnrollmentCorrected',
    'CoverageLapsed',
    'CoverageReinstated',
  ],
  table: coverageTable,
  sum: 'delta',
  deltas(recorded, add) {
    const event = recorded as unknown as CoverageEvent;
    const d = event.data;
    const changes: [string, number][] =
      event.type === 'EnrollmentApproved'
        ? [[d.coverageFrom, 1]]
        : event.type === 'EnrollmentDeregistered' || event.type === 'CoverageLapsed'
          ? [[nextDay(event.data.effectiveDate), -1]]
          : correctionDeltas(event.data);
    const birthYear = String(d.birthYear);
    for (const [day, delta] of changes) {
      // Key order: region_code, dim, program_id, value, day.
      for (const region of regionLevels(d.villageCode)) {
        add([region, 'total', d.programId, '', day], delta);
        add([region, 'occupation', d.programId, d.occupation, day], delta);
        add([region, 'sex', d.programId, d.sex, day], delta);
        add([region, 'birth_year', d.programId, birthYear, day], delta);
      }
    }
  },
};

/** The previous period taken back (−1 at its start, +1 after its end), the new one applied. */
function correctionDeltas(
  // A reinstatement names the lapsed period as previous and the open one after it: the same undo.
  d: Extract<CoverageEvent, { type: 'EnrollmentCorrected' | 'CoverageReinstated' }>['data'],
): [string, number][] {
  const changes: [string, number][] = [[d.previous.coverageFrom, -1]];
  if (d.previous.endedOn) changes.push([nextDay(d.previous.endedOn), 1]);
  changes.push([d.coverageFrom, 1]);
  if (d.endedOn) changes.push([nextDay(d.endedOn), -1]);
  return changes;
}
