/**
 * Coverage as the ledger knew it at every log position, on SQLite and PostgreSQL: a history
 * recorded in several commits, most of it backfilled (effective dates months before it was
 * recorded), is projected with buckets of 2, 4 and 8 positions, so that commits straddle
 * the boundaries of each level; then for every position P and many days the `knownAt` answers equal an
 * independent fold of the events at positions ≤ P.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { regions } from '@ledger/ledger/regions/region-directory';
import { baselinesProjection } from '../baselines/baselines.projection';
import { outsideParticipantsProjection } from '../baselines/outside-participants.projection';
import { nextDay } from '../calendar';
import { programsProjection } from '../programs/programs.projection';
import { loadPrograms } from '../programs/programs.query';
import type { ReadQuery } from '../read-schema';
import { ProjectionRunner } from '../runner/projection-runner';
import type { GivenEvent } from '../testing/given-events';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import {
  baselineSet,
  enrollment,
  OTHER_VILLAGE,
  person,
  PROGRAM,
  programChanged,
  programEstablished,
  VILLAGE,
} from '../testing/ledger-events';
import { bucketAt, coverageKnownProjection } from './coverage-known.projection';
import { coverageKnownAt } from './coverage-known.query';
import { coverageProjection, regionLevels } from './coverage.projection';
import { activeOn, activeSummed, coverageRankings, coverageReport, coverageSeries } from './coverage.query';

/** Buckets of 2, 4 and 8 positions: commits straddle all three. */
const BUCKETS = { widths: [2, 4, 8] };
const LEVELS = [0, 1, 2];
const SECOND = '0197b000-0000-7000-8000-0000000000b2';
/** A village of another province (Jambi, Sarolangun). */
const JAMBI_VILLAGE = '1503010001';
const directory = regions();

interface Person {
  villageCode: string;
  occupation: string;
  sex: string;
  birthYear: number;
}
const people: Person[] = [
  { villageCode: VILLAGE, occupation: 'petani', sex: 'P', birthYear: 1980 },
  { villageCode: VILLAGE, occupation: 'nelayan', sex: 'L', birthYear: 1991 },
  { villageCode: OTHER_VILLAGE, occupation: 'petani', sex: 'L', birthYear: 1965 },
  { villageCode: OTHER_VILLAGE, occupation: 'pedagang', sex: 'P', birthYear: 2001 },
  { villageCode: JAMBI_VILLAGE, occupation: 'petani', sex: 'P', birthYear: 1975 },
  { villageCode: VILLAGE, occupation: 'buruh', sex: 'L', birthYear: 1980 },
];

const ids = (n: number, programId: string) => ({
  enrollmentId: enrollment(n),
  programId,
  participantId: person(n),
});
const approval = (n: number, coverageFrom: string, programId = PROGRAM): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentApproved',
  data: { ...ids(n, programId), coverageFrom, approvedOn: coverageFrom, ...people[n] },
});
const deregistration = (n: number, coverageFrom: string, effectiveDate: string, programId = PROGRAM) => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentDeregistered',
  data: { ...ids(n, programId), reason: 'died', note: null, coverageFrom, effectiveDate, ...people[n] },
});
/** Contributions unpaid: ends the coverage on its last day as a deregistration does. */
const lapse = (n: number, coverageFrom: string, effectiveDate: string, programId = PROGRAM) => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'CoverageLapsed',
  data: {
    ...ids(n, programId),
    coverageFrom,
    effectiveDate,
    unpaidMonths: ['2025-10', '2025-11', '2025-12', '2026-01'],
    decidedOn: '2026-11-20',
    ...people[n],
  },
});
/** An event no coverage read model handles, to move positions on. */
const proposal = (n: number, programId = PROGRAM): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentProposed',
  data: {
    ...ids(n, programId),
    nikKey: 'a'.repeat(64),
    ...people[n],
    proposedOn: '2026-11-02',
    importId: null,
  },
});

const period = { from: '2025-10-01', to: '2025-12-31' };
/** The history, commit by commit (one append each), recorded in November–December 2026. */
const commits: GivenEvent[][] = [
  [programEstablished({ period }), baselineSet('1603', 2025, 400)],
  [proposal(0), proposal(1), proposal(2), proposal(3)],
  [approval(0, '2025-10-01'), approval(1, '2025-10-01'), approval(2, '2025-10-15')],
  [
    programEstablished({ programId: SECOND, ownerRegion: '15', name: 'Program Jambi', period }),
    proposal(4, SECOND),
  ],
  [approval(4, '2025-11-01', SECOND), approval(3, '2025-10-01')],
  // A death on 15 November, recorded a year later.
  [deregistration(1, '2025-10-01', '2025-11-15')],
  [programChanged('ProgramPeriodAmended', { period: { from: '2025-10-01', to: '2025-11-30' } })],
  [proposal(5), approval(5, '2025-11-20')],
  [programChanged('ProgramClosed', { closedOn: '2025-12-10' }, SECOND)],
  [deregistration(2, '2025-10-15', '2025-10-31')],
  [lapse(3, '2025-10-01', '2025-12-10')],
  [programChanged('ProgramPeriodAmended', { period: { from: '2025-10-01', to: '2025-12-31' } })],
];

function recorded(event: GivenEvent): NewEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: '2026-11-20T03:00:00.000Z',
      actor: { id: 'admin', role: 'program_admin', region: '16' },
      schemaVersion: 1,
    },
  };
}

async function append(store: EventStore, commit: GivenEvent[]) {
  const byStream = new Map<string, NewEvent[]>();
  for (const event of commit)
    byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), recorded(event)]);
  await store.append(
    [...byStream].map(([streamId, events]) => ({ streamId, events, expected: 'any' as const })),
  );
}

/** The fields of the log's events the independent fold reads. */
interface LogData extends Partial<Person> {
  programId: string;
  enrollmentId?: string;
  period?: { to: string };
  closedOn?: string;
  coverageFrom?: string;
  effectiveDate?: string;
}

/**
 * The independent answer: each enrollment's coverage and each program's last covered day
 * folded from the events at positions ≤ P, then counted per region and value.
 */
function expectedAt(log: RecordedEvent[], position: number, date: string) {
  const ends = new Map<string, string>();
  const terms = new Map<string, { to: string; closedOn: string | null }>();
  const coverages = new Map<string, { from: string; last: string | null; programId: string; who: Person }>();
  for (const event of log) {
    if (event.position > position) break;
    const d = event.data as LogData;
    if (event.type === 'ProgramEstablished') terms.set(d.programId, { to: d.period!.to, closedOn: null });
    if (event.type === 'ProgramPeriodAmended') terms.get(d.programId)!.to = d.period!.to;
    if (event.type === 'ProgramClosed') terms.get(d.programId)!.closedOn = d.closedOn!;
    if (event.type === 'EnrollmentApproved')
      coverages.set(d.enrollmentId!, {
        from: d.coverageFrom!,
        last: null,
        programId: d.programId,
        who: d as Person,
      });
    if (event.type === 'EnrollmentDeregistered' || event.type === 'CoverageLapsed')
      coverages.get(d.enrollmentId!)!.last = d.effectiveDate!;
  }
  for (const [id, t] of terms) ends.set(id, t.closedOn && t.closedOn < t.to ? t.closedOn : t.to);
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const c of coverages.values()) {
    if (c.from > date || (c.last !== null && c.last < date) || ends.get(c.programId)! < date) continue;
    for (const region of regionLevels(c.who.villageCode)) {
      bump(`${region}|${c.programId}|total|`);
      bump(`${region}|*|occupation|${c.who.occupation}`);
      bump(`${region}|*|sex|${c.who.sex}`);
      bump(`${region}|*|birth_year|${c.who.birthYear}`);
    }
  }
  return counts;
}

/** Every level of every village above: the fold counts them all. */
const REGIONS = [...new Set(people.flatMap((p) => regionLevels(p.villageCode)))];
const DATES = [
  '2025-09-30',
  '2025-10-01',
  '2025-10-15',
  '2025-10-31',
  '2025-11-01',
  '2025-11-15',
  '2025-11-16',
  '2025-11-20',
  '2025-11-30',
  '2025-12-01',
  '2025-12-10',
  '2025-12-11',
  '2025-12-31',
  '2026-01-01',
];

async function answersAt(read: ReadQuery, store: EventStore, position: number | null, date: string) {
  const known = position === null ? undefined : await coverageKnownAt(read, store, position, BUCKETS);
  const resolved = known?.programs ?? (await loadPrograms(read));
  const counts = new Map<string, number>();
  for (const r of await activeOn(read, resolved, REGIONS, date, ['total'], known))
    counts.set(`${r.region}|${r.programId}|total|`, r.active);
  for (const r of await activeSummed(
    read,
    resolved,
    REGIONS,
    date,
    ['occupation', 'sex', 'birth_year'],
    known,
  ))
    counts.set(`${r.region}|*|${r.dim}|${r.value}`, r.active);
  return counts;
}

const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));

function suite(target: ReadDbTarget) {
  return () => {
    const fixture = readFixture(target, 'ledger-coverage-known-');
    const projections = [
      programsProjection,
      baselinesProjection,
      outsideParticipantsProjection,
      coverageProjection,
      coverageKnownProjection(BUCKETS),
    ];

    async function project() {
      const runner = new ProjectionRunner(fixture.store, fixture.read, projections);
      await runner.install();
      for (const commit of commits) {
        await append(fixture.store, commit);
        // Followed live, commit by commit, as the runner does.
        await runner.catchUp();
      }
      return await fixture.store.readAll({ maxCount: 10_000 });
    }

    it('answers as the ledger knew it at every position, equal to a fold of the events up to it', async () => {
      const log = await project();
      const read = fixture.read.query;
      const head = log[log.length - 1].position;
      // Commits of several events straddle the buckets; the log spans several top-level ones.
      expect(new Set(log.map((e) => bucketAt(e.position, BUCKETS, 0))).size).toBeGreaterThan(8);
      expect(new Set(log.map((e) => bucketAt(e.position, BUCKETS, 2))).size).toBeGreaterThan(2);
      for (let position = 0; position <= head; position++) {
        for (const date of DATES) {
          const expected = expectedAt(log, position, date);
          expect({
            position,
            date,
            counts: sorted(await answersAt(read, fixture.store, position, date)),
          }).toEqual({ position, date, counts: sorted(expected) });
        }
      }
      // At the head, as known now: what the report without knownAt says.
      for (const date of DATES) {
        expect(sorted(await answersAt(read, fixture.store, head, date))).toEqual(
          sorted(await answersAt(read, fixture.store, null, date)),
        );
      }
    });

    it('the reports: a death recorded later still counts before it was recorded; program ends as known then', async () => {
      const log = await project();
      const read = fixture.read.query;
      const at = (type: string, n = 0) => log.filter((e) => e.type === type)[n].position;
      const beforeDeath = at('EnrollmentDeregistered') - 1;
      const afterDeath = at('EnrollmentDeregistered');
      const muaraEnim = { code: '1603', name: directory.get('1603')!.name, level: 'regency' as const };
      const report = async (position: number, date: string) =>
        await coverageReport(
          read,
          directory,
          muaraEnim,
          date,
          await coverageKnownAt(read, fixture.store, position, BUCKETS),
        );
      expect((await report(beforeDeath, '2025-11-16')).active).toBe(4);
      expect((await report(afterDeath, '2025-11-16')).active).toBe(3);
      // As known now: the deregistration of 31 October (recorded last) too.
      expect((await coverageReport(read, directory, muaraEnim, '2025-11-16')).active).toBe(2);
      // The period was shortened to 30 November, then given back its December.
      const shortened = at('ProgramPeriodAmended');
      const restored = at('ProgramPeriodAmended', 1);
      expect((await report(shortened, '2025-12-01')).active).toBe(0);
      expect((await report(restored - 1, '2025-12-01')).active).toBe(0);
      expect((await report(restored, '2025-12-01')).active).toBe(3);
      const before = await report(beforeDeath, '2025-11-16');
      expect(before.byProgram).toEqual([
        expect.objectContaining({ programId: PROGRAM, active: 4, quota: 100 }),
      ]);
      expect(before.coverage.denominator).toBe(400);

      const series = await coverageSeries(
        read,
        {
          region: muaraEnim,
          from: '2025-10-01',
          to: '2025-12-31',
          months: ['2025-10-31', '2025-11-30', '2025-12-31'],
        },
        await coverageKnownAt(read, fixture.store, beforeDeath, BUCKETS),
      );
      expect(series.points.map((p) => p.active)).toEqual([4, 4, 4]);

      const jambi = { code: '15', name: directory.get('15')!.name, level: 'province' as const };
      const rankings = async (position: number, date: string) =>
        (
          await coverageRankings(
            read,
            directory,
            { scope: jambi, villages: false, date },
            await coverageKnownAt(read, fixture.store, position, BUCKETS),
          )
        ).ranking.find((r) => r.code === '1503')!.active;
      const closure = at('ProgramClosed');
      expect(await rankings(closure - 1, '2025-12-15')).toBe(1);
      expect(await rankings(closure, '2025-12-15')).toBe(0);
      expect(await rankings(closure, '2025-12-10')).toBe(1);
    });

    it('each level of buckets holds the deltas of coverage_deltas, split by the bucket of their event', async () => {
      const log = await project();
      const read = fixture.read.query;
      const plain = await read
        .selectFrom('coverage_deltas')
        .select(['region_code', 'dim', 'program_id', 'value', 'day', 'delta'])
        .execute();
      const level = async (prefix: number) =>
        await read
          .selectFrom('coverage_known')
          .select(['region_code', 'dim', 'program_id', 'value', 'day'])
          .select((eb) => eb.fn.sum<number>('delta').as('delta'))
          .where('known_bucket', 'like', `${prefix}%`)
          .groupBy(['region_code', 'dim', 'program_id', 'value', 'day'])
          .execute();
      const key = (r: { region_code: string; dim: string; program_id: string; value: string; day: string }) =>
        `${r.region_code}|${r.dim}|${r.program_id}|${r.value}|${r.day}`;
      const nonZero = (rows: typeof plain) =>
        rows
          .map((r) => [key(r), Number(r.delta)] as const)
          .filter(([, d]) => d !== 0)
          .sort(([a], [b]) => a.localeCompare(b));
      expect(nonZero(plain).length).toBeGreaterThan(0);
      for (const prefix of LEVELS) {
        expect({ prefix, rows: nonZero((await level(prefix)) as typeof plain) }).toEqual({
          prefix,
          rows: nonZero(plain),
        });
      }
      // The death of 15 November, in the bucket of its event at each level.
      const death = log.find((e) => e.type === 'EnrollmentDeregistered')!;
      const rows = await read
        .selectFrom('coverage_known')
        .select(['known_bucket', 'delta'])
        .where('region_code', '=', VILLAGE)
        .where('dim', '=', 'total')
        .where('day', '=', nextDay('2025-11-15'))
        .orderBy('known_bucket')
        .execute();
      expect(rows.map((r) => [r.known_bucket, Number(r.delta)])).toEqual(
        LEVELS.map((l) => [bucketAt(death.position, BUCKETS, l), -1]),
      );
    });
  };
}

describe('SQLite: coverage as known at a log position', suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: coverage as known at a log position',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  suite(readDbTargets.postgres),
);
