import type { RecordedEvent } from '@ledger/event-store';
import type { CustomProjection, TableSpec } from '../runner/projection';
import { CHUNK } from '../runner/dialect-writes';
import { fromDbRow, toDbRow } from '../runner/tables';
import { enrollmentsProjection, type EnrollmentRow } from './enrollments.projection';

/**
 * Every version the enrollments table ever had: the row as it stood from the event that made
 * it (`known_from`, its log position) until the next event about the same enrollment
 * (`known_to`; null while it is the current row). "The enrollments of program X as the ledger
 * knew them at position P" are the versions with known_from ≤ P < known_to (or known_to null),
 * which a report with `knownAt` reads instead of the current table.
 *
 * The versions are made by the enrollments projection's own `keyOf` and `evolve`, so a version
 * is exactly the row the enrollments table held at that position, for every event it handles
 * now or later (corrections included).
 */
export interface EnrollmentVersionRow extends EnrollmentRow {
  known_from: number;
  known_to: number | null;
}

export const enrollmentVersionsTable: TableSpec = {
  name: 'enrollment_versions',
  columns: {
    ...enrollmentsProjection.table.columns,
    known_from: { type: 'integer' },
    known_to: { type: 'integer', nullable: true },
  },
  primaryKey: ['id', 'known_from'],
  // Rows are appended in log order and rarely touched again (only to close them).
  clustered: false,
  // The key finds an enrollment's versions; this finds a program's versions known by P.
  indexes: [['program_id', 'known_from']],
};

/** This projection's own logic; the enrollments projection's version is part of its version. */
const OWN_VERSION = 1;

const withoutVersion = (row: EnrollmentVersionRow): EnrollmentRow => {
  const { known_from: _from, known_to: _to, ...current } = row;
  return current;
};

export const enrollmentVersionsProjection: CustomProjection = {
  kind: 'custom',
  name: 'enrollment_versions',
  // A change of how enrollments evolve changes every version: rebuilt with them.
  version: OWN_VERSION * 1000 + enrollmentsProjection.version,
  handles: enrollmentsProjection.handles,
  tables: [enrollmentVersionsTable],
  async apply(events: RecordedEvent[], trx, table, writes) {
    const physical = table(enrollmentVersionsTable.name);
    const keys = events.map((e) => enrollmentsProjection.keyOf(e));
    const wanted = [...new Set(keys.filter((k): k is string => k !== null))];
    // The current version of each enrollment the batch touches (null: none yet).
    const current = new Map<string, EnrollmentVersionRow | null>(wanted.map((k) => [k, null]));
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const found = await trx
        .selectFrom(physical)
        .selectAll()
        .where('id', 'in', wanted.slice(i, i + CHUNK))
        .where('known_to', 'is', null)
        .execute();
      for (const stored of found) {
        const row = fromDbRow(enrollmentVersionsTable, stored) as unknown as EnrollmentVersionRow;
        current.set(row.id, { ...row, known_from: Number(row.known_from), known_to: null });
      }
    }
    // Versions to write, by id and known_from: new ones, and current ones closed by this batch.
    const changed = new Map<string, EnrollmentVersionRow>();
    events.forEach((event, i) => {
      const key = keys[i];
      if (key === null) return;
      const before = current.get(key) ?? null;
      const next = enrollmentsProjection.evolve(before && withoutVersion(before), event);
      if (before) {
        const closed = { ...before, known_to: event.position };
        changed.set(`${key} ${before.known_from}`, closed);
      }
      if (next) {
        const version: EnrollmentVersionRow = { ...next, known_from: event.position, known_to: null };
        changed.set(`${key} ${event.position}`, version);
        current.set(key, version);
      } else {
        current.set(key, null);
      }
    });
    await writes.upsert(
      physical,
      enrollmentVersionsTable,
      [...changed.values()].map((row) => toDbRow(enrollmentVersionsTable, row)),
    );
  },
};
