import type { RecordedEvent } from '@ledger/event-store';
import type { EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import { sql } from 'kysely';
import type { CustomProjection, TableSpec } from '../runner/projection';

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

type CoverageEvent = Extract<EnrollmentEvent, { type: 'EnrollmentApproved' | 'EnrollmentDeregistered' }>;

export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function regionLevels(villageCode: string): string[] {
  return ['ID', villageCode.slice(0, 2), villageCode.slice(0, 4), villageCode.slice(0, 6), villageCode];
}

export const coverageProjection: CustomProjection = {
  kind: 'custom',
  name: 'coverage',
  version: 1,
  handles: ['EnrollmentApproved', 'EnrollmentDeregistered'],
  tables: [coverageTable],
  async apply(events: RecordedEvent[], trx, table) {
    // Deltas of a batch are summed in memory first, per village, then rolled up to the
    // district, regency, province and national levels: a batch of approvals on one day in
    // one program touches each (region, dimension) key once.
    const villages = new Map<string, number>();
    for (const recorded of events) {
      const event = recorded as unknown as CoverageEvent;
      const d = event.data;
      const [day, delta] =
        event.type === 'EnrollmentApproved'
          ? [event.data.coverageFrom, 1]
          : [nextDay(event.data.effectiveDate), -1];
      const tail = `|${d.programId}|${day}|`;
      for (const key of [
        `total${tail}`,
        `occupation${tail}${d.occupation}`,
        `sex${tail}${d.sex}`,
        `birth_year${tail}${d.birthYear}`,
      ]) {
        const k = `${d.villageCode}|${key}`;
        villages.set(k, (villages.get(k) ?? 0) + delta);
      }
    }
    const sums = new Map<string, number>();
    for (const [key, delta] of villages) {
      const village = key.slice(0, 10);
      const rest = key.slice(10);
      for (const region of regionLevels(village)) {
        const k = `${region}${rest}`;
        sums.set(k, (sums.get(k) ?? 0) + delta);
      }
    }
    const rows = [...sums]
      .filter(([, delta]) => delta !== 0)
      .map(([key, delta]) => {
        const [region_code, dim, program_id, day, value] = key.split('|');
        return { region_code, dim, program_id, value, day, delta };
      });
    const physical = table(coverageTable.name);
    const CHUNK = 1000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto(physical)
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc
            .columns(['region_code', 'dim', 'program_id', 'value', 'day'])
            .doUpdateSet({ delta: sql`${sql.ref(`${physical}.delta`)} + excluded.delta` }),
        )
        .execute();
    }
  },
};
