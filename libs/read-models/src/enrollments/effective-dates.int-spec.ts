import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { nextDay } from '../calendar';
import { participantHistory } from '../participant-history/participant-history';
import { loadPrograms } from '../programs/programs.query';
import { programsProjection } from '../programs/programs.projection';
import type { ReadDb } from '../read-db';
import { ProjectionRunner } from '../runner/projection-runner';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import type { GivenEvent } from '../testing/given-events';
import {
  approved,
  deregistered,
  person,
  programChanged,
  PROGRAM,
  programEstablished,
  proposed,
  registered,
  rejected,
} from '../testing/ledger-events';
import { enrollmentVersionsProjection, type EnrollmentVersionRow } from './enrollment-versions.projection';
import { enrollmentsProjection } from './enrollments.projection';
import { programSummary } from './enrollments.query';
import { programKnownAt } from './program-known-at';

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const RECORDED = '2026-12-01';
const approvedLate = (n: number, coverageFrom: string): GivenEvent => {
  const event = approved(n, coverageFrom);
  return { ...event, data: { ...event.data, approvedOn: '2026-12-02' } };
};

/**
 * A program of October–December 2025 brought into the ledger in December 2026, one commit per
 * event: three workers proposed, two approved with coverage from past dates, one rejected;
 * then the first one's death on 2025-11-15 recorded, then the program's closure on 2025-12-15.
 */
const HISTORY: GivenEvent[] = [
  programEstablished({ period: PERIOD }),
  registered(1),
  proposed(1, { proposedOn: RECORDED }),
  registered(2),
  proposed(2, { proposedOn: RECORDED }),
  registered(3),
  proposed(3, { proposedOn: RECORDED }),
  approvedLate(1, '2025-10-01'),
  approvedLate(3, '2025-10-15'),
  rejected(2, '2026-12-03'),
  deregistered(1, '2025-10-01', '2025-11-15', 'deceased'),
  programChanged('ProgramClosed', { closedOn: '2025-12-15' }),
];
const DEATH = HISTORY.findIndex((e) => e.type === 'EnrollmentDeregistered') + 1;

/**
 * Active workers on `date` as the ledger knew it with the first `known` events, computed from
 * the events themselves without the read models' code: a coverage runs from its start to the
 * earliest of its last day, the period end and the closing day.
 */
function independentActive(known: number, date: string): number {
  let programEnd: string | null = null;
  const coverage = new Map<string, { from: string; to: string | null }>();
  for (const { type, data } of HISTORY.slice(0, known)) {
    const id = data.enrollmentId as string;
    if (type === 'ProgramEstablished') programEnd = (data.period as typeof PERIOD).to;
    if (type === 'ProgramClosed' && programEnd !== null && (data.closedOn as string) < programEnd)
      programEnd = data.closedOn as string;
    if (type === 'EnrollmentApproved') coverage.set(id, { from: data.coverageFrom as string, to: null });
    if (type === 'EnrollmentDeregistered') coverage.get(id)!.to = data.effectiveDate as string;
  }
  let active = 0;
  for (const { from, to } of coverage.values()) {
    const last = to !== null && to < programEnd! ? to : programEnd!;
    if (from <= date && date <= last) active += 1;
  }
  return active;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}

function suite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-effective-dates-');
  let store: EventStore;
  let read: ReadDb;
  const projections = [programsProjection, enrollmentsProjection, enrollmentVersionsProjection];

  /** Appends the history one commit at a time, the read models following each commit. */
  async function seed() {
    ({ store, read } = fixture);
    const runner = new ProjectionRunner(store, read, projections);
    await runner.install();
    for (const event of HISTORY) {
      await store.append([
        {
          streamId: event.stream,
          expected: 'any',
          events: [
            {
              type: event.type,
              data: event.data,
              metadata: { eventId: randomUUID(), occurredAt: `${RECORDED}T03:00:00.000Z`, schemaVersion: 1 },
            },
          ],
        },
      ]);
      await runner.catchUp();
    }
    return runner;
  }

  // PostgreSQL returns its 64-bit integers as text: positions compared as numbers.
  const versions = async () =>
    (
      (await read.query
        .selectFrom('enrollment_versions')
        .selectAll()
        .orderBy('id')
        .orderBy('known_from')
        .execute()) as EnrollmentVersionRow[]
    ).map((r) => ({ ...r, known_from: Number(r.known_from) }));

  it('every version of each enrollment, from the event that made it to the next; rebuilt the same', async () => {
    const runner = await seed();
    const live = await versions();
    expect(
      live.map((v) => [
        v.id.slice(-4),
        v.status,
        v.known_from,
        v.known_to === null ? null : Number(v.known_to),
      ]),
    ).toEqual([
      ['0001', 'proposed', 3, 8],
      ['0001', 'approved', 8, 11],
      ['0001', 'deregistered', 11, null],
      ['0002', 'proposed', 5, 10],
      ['0002', 'rejected', 10, null],
      ['0003', 'proposed', 7, 9],
      ['0003', 'approved', 9, null],
    ]);
    // The current versions are the enrollments table.
    const current = await read.query.selectFrom('enrollments').selectAll().orderBy('id').execute();
    expect(
      live.filter((v) => v.known_to === null).map(({ known_from: _f, known_to: _t, ...row }) => row),
    ).toEqual(current);
    await runner.rebuild('enrollment_versions');
    expect(await versions()).toEqual(live);
  });

  it('on every date and at every log position the summary, the history and an independent count agree', async () => {
    await seed();
    const head = await store.headPosition();
    expect(head).toBe(HISTORY.length);
    const dates = days('2025-09-28', '2026-01-03');
    for (let known = 0; known <= head; known++) {
      const program = await programKnownAt(store, PROGRAM, known);
      expect({ known, exists: program !== null }).toEqual({ known, exists: known >= 1 });
      for (const date of dates) {
        const expected = independentActive(known, date);
        const summary = program
          ? (await programSummary(read.query, program, date, null, known)).summary
          : null;
        let historyActive = 0;
        for (const n of [1, 2, 3]) {
          const history = await participantHistory(store, read.query, person(n), date, known);
          historyActive += history?.asOf?.enrollments.filter((e) => e.status === 'active').length ?? 0;
        }
        expect({ known, date, summary: summary?.active ?? 0, history: historyActive }).toEqual({
          known,
          date,
          summary: expected,
          history: expected,
        });
        if (summary) expect(summary.knownAt).toBe(known);
      }
    }
    // Without knownAt: the ledger as it is, the same as at the head.
    const program = (await loadPrograms(read.query)).get(PROGRAM)!;
    expect(program.end).toBe('2025-12-15');
    for (const date of dates) {
      const { summary } = await programSummary(read.query, program, date, null);
      expect({ date, active: summary.active }).toEqual({ date, active: independentActive(head, date) });
      expect(summary).not.toHaveProperty('knownAt');
    }
  });

  it('before the death was recorded the summary and the history still count the worker the day after it', async () => {
    await seed();
    const before = DEATH - 1;
    const program = (await programKnownAt(store, PROGRAM, before))!;
    expect(program.end).toBe('2025-12-31');
    const then = (await programSummary(read.query, program, '2025-11-16', null, before)).summary;
    expect(then).toMatchObject({ knownAt: before, active: 2, ended: 0, deregistrationsByReason: {} });
    const history = (await participantHistory(store, read.query, person(1), '2025-11-16', before))!;
    expect(history.asOf!.enrollments[0]).toMatchObject({
      status: 'active',
      coverage: { from: '2025-10-01', to: '2025-12-31' },
    });
    expect(history.events.map((e) => e.type)).not.toContain('EnrollmentDeregistered');

    const now = (await loadPrograms(read.query)).get(PROGRAM)!;
    const today = (await programSummary(read.query, now, '2025-11-16', null)).summary;
    expect(today).toMatchObject({ active: 1, ended: 1, deregistrationsByReason: { deceased: 1 } });
    const after = (await participantHistory(store, read.query, person(1), '2025-11-16'))!;
    expect(after.asOf!.enrollments[0]).toMatchObject({
      status: 'ended',
      coverage: { from: '2025-10-01', to: '2025-11-15' },
    });
    // Backfilled: counted on 2025-10-15 though proposed and approved in December 2026.
    expect((await programSummary(read.query, now, '2025-10-15', null)).summary).toMatchObject({
      proposed: 2,
      approved: 2,
      active: 2,
      pending: 0,
      rejected: 0,
    });
    // From the recording day the rejected one counts too.
    expect((await programSummary(read.query, now, '2026-12-03', null)).summary).toMatchObject({
      proposed: 3,
      rejected: 1,
      ended: 2,
      active: 0,
    });
  });
}

describe('SQLite: effective dates and knownAt in the summary and the history', () =>
  suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: effective dates and knownAt in the summary and the history',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite(readDbTargets.postgres),
);
