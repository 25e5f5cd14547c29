import { randomUUID } from 'node:crypto';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { MONTH_RULES, monthsBetween, type MonthRule } from '@ledger/ledger/contributions/obligation';
import { enrollmentsProjection } from '../enrollments/enrollments.projection';
import { programsProjection } from '../programs/programs.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import type { GivenEvent } from '../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  programEstablished,
  PROGRAM,
  proposed,
  registered,
} from '../testing/ledger-events';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { rosterOf } from './roster.query';

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
/** Coverages starting and ending inside months, one proposed never approved. */
const COVERAGES: { n: number; from: string | null; to?: string }[] = [
  { n: 1, from: '2025-10-01' },
  { n: 2, from: '2025-10-15' },
  { n: 3, from: '2025-10-01', to: '2025-11-15' },
  { n: 4, from: '2025-10-01', to: '2025-11-30' },
  { n: 5, from: '2025-12-01', to: '2025-12-01' },
  { n: 6, from: null },
];

/** Which lines each rule gives, worked out by hand from the coverages above. */
const EXPECTED: Record<MonthRule, Record<string, number[]>> = {
  any_day: { '2025-10': [1, 2, 3, 4], '2025-11': [1, 2, 3, 4], '2025-12': [1, 2, 5] },
  first_day: { '2025-10': [1, 3, 4], '2025-11': [1, 2, 3, 4], '2025-12': [1, 2, 5] },
  whole_month: { '2025-10': [1, 3, 4], '2025-11': [1, 2, 4], '2025-12': [1, 2] },
};

function suite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-roster-');

  async function seed() {
    const { store, read } = fixture;
    const runner = new ProjectionRunner(store, read, [programsProjection, enrollmentsProjection]);
    await runner.install();
    const history: GivenEvent[] = [programEstablished({ period: PERIOD })];
    for (const { n, from, to } of COVERAGES) {
      history.push(registered(n), proposed(n, { proposedOn: '2025-09-20' }));
      if (from) history.push(approved(n, from));
      if (from && to) history.push(deregistered(n, from, to));
    }
    for (const event of history) {
      await store.append([
        {
          streamId: event.stream,
          expected: 'any',
          events: [
            {
              type: event.type,
              data: event.data,
              metadata: { eventId: randomUUID(), occurredAt: '2026-12-01T03:00:00.000Z', schemaVersion: 1 },
            },
          ],
        },
      ]);
    }
    await runner.catchUp();
    return read;
  }

  it('gives, for every month rule, the coverages that owe each month, in id order', async () => {
    const read = await seed();
    for (const monthRule of MONTH_RULES) {
      for (const month of monthsBetween('2025-10', '2025-12')) {
        const roster = await rosterOf(read.query, {
          programId: PROGRAM,
          month,
          monthRule,
          programEnd: PERIOD.to,
        });
        expect({ monthRule, month, roster }).toEqual({
          monthRule,
          month,
          roster: EXPECTED[monthRule][month].map(enrollment),
        });
      }
    }
  });

  it('a program closed early owes nothing after its last day', async () => {
    const read = await seed();
    const roster = (month: string) =>
      rosterOf(read.query, { programId: PROGRAM, month, monthRule: 'any_day', programEnd: '2025-11-10' });
    expect(await roster('2025-12')).toEqual([]);
    expect(await roster('2025-11')).toEqual([1, 2, 3, 4].map(enrollment));
  });
}

describe('SQLite: the roster a month owes', () => suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: the roster a month owes',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite(readDbTargets.postgres),
);
