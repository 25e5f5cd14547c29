/**
 * A lapse (contributions unpaid, `CoverageLapsed`) in every read model that shows the end of a
 * coverage, on SQLite and PostgreSQL: the enrollment ends with reason `lapsed` on its last
 * day, coverage and the program summary count it until that day and not after, the versions
 * and the audit trail hold it, the participant history names it; and every one of these
 * tables rebuilt from the log equals the live one.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { auditProjection } from '../audit/audit.projection';
import { baselinesProjection } from '../baselines/baselines.projection';
import { coverageKnownProjection } from '../coverage/coverage-known.projection';
import { coverageKnownAt } from '../coverage/coverage-known.query';
import { coverageProjection } from '../coverage/coverage.projection';
import { activeOn, coverageRankings } from '../coverage/coverage.query';
import { regions } from '@ledger/ledger/regions/region-directory';
import { participantHistory } from '../participant-history/participant-history';
import { programsProjection } from '../programs/programs.projection';
import { loadPrograms } from '../programs/programs.query';
import type { ReadDb } from '../read-db';
import { ProjectionRunner } from '../runner/projection-runner';
import type { GivenEvent } from '../testing/given-events';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import {
  approved,
  baselineSet,
  deregistered,
  enrollment,
  lapsed,
  person,
  PROGRAM,
  programEstablished,
  proposed,
  registered,
} from '../testing/ledger-events';
import { enrollmentVersionsProjection } from './enrollment-versions.projection';
import { enrollmentsProjection } from './enrollments.projection';
import { programSummary } from './enrollments.query';

const PERIOD = { from: '2026-01-01', to: '2026-12-31' };
const BUCKETS = { widths: [2, 4, 8] };
/** Unpaid from March: covered until the grace of March ends (the due date of June, 15 June 2026 a Monday). */
const LAST_DAY = '2026-06-15';
const HISTORY: GivenEvent[] = [
  programEstablished({ period: PERIOD }),
  baselineSet('1603', 2026, 400),
  ...[1, 2, 3].flatMap((n) => [registered(n), proposed(n, { proposedOn: '2026-01-02' })]),
  ...[1, 2, 3].map((n) => approved(n, '2026-01-05')),
  deregistered(2, '2026-01-05', '2026-04-30', 'moved_away'),
  lapsed(1, '2026-01-05', LAST_DAY, ['2026-03', '2026-04', '2026-05', '2026-06'], '2026-06-16'),
];

function suite(target: ReadDbTarget) {
  return () => {
    const fixture = readFixture(target, 'ledger-coverage-lapsed-');
    let store: EventStore;
    let read: ReadDb;
    const projections = [
      programsProjection,
      baselinesProjection,
      enrollmentsProjection,
      enrollmentVersionsProjection,
      coverageProjection,
      coverageKnownProjection(BUCKETS),
      auditProjection,
    ];

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
                metadata: {
                  eventId: randomUUID(),
                  occurredAt: '2026-06-16T01:00:00.000Z',
                  actor: { id: 'system', role: 'system', region: 'ID' },
                  schemaVersion: 1,
                },
              },
            ],
          },
        ]);
        await runner.catchUp();
      }
      return runner;
    }

    const tables = ['enrollments', 'enrollment_versions', 'coverage_deltas', 'coverage_known', 'audit_trail'];
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const name of tables) {
        const rows = await read.query
          .selectFrom(name as 'enrollments')
          .selectAll()
          .execute();
        // Row order is the database's; compared as sorted JSON.
        out[name] = rows.map((r) => JSON.stringify(r)).sort();
      }
      return out;
    };

    it('ends the coverage on its last day with reason lapsed, in every read model; rebuilt the same', async () => {
      const runner = await seed();
      const row = await read.query
        .selectFrom('enrollments')
        .selectAll()
        .where('id', '=', enrollment(1))
        .executeTakeFirstOrThrow();
      expect({ status: row.status, ended_on: row.ended_on, end_reason: row.end_reason }).toEqual({
        status: 'deregistered',
        ended_on: LAST_DAY,
        end_reason: 'lapsed',
      });

      const programs = await loadPrograms(read.query);
      const active = async (date: string) =>
        (await activeOn(read.query, programs, ['1603'], date)).reduce((sum, r) => sum + r.active, 0);
      // Three from January, the one who moved away gone in May, the lapsed one after 15 June.
      expect([await active('2026-04-30'), await active(LAST_DAY), await active('2026-06-16')]).toEqual([
        3, 2, 1,
      ]);
      const head = await store.headPosition();
      const known = await coverageKnownAt(read.query, store, head, BUCKETS);
      expect(
        (await activeOn(read.query, known.programs, ['1603'], '2026-06-16', ['total'], known)).reduce(
          (sum, r) => sum + r.active,
          0,
        ),
      ).toBe(1);

      // Rankings count from the same deltas: Muara Enim among South Sumatra's regencies.
      const ranked = async (date: string) =>
        (
          await coverageRankings(read.query, regions(), {
            scope: { code: '16', level: 'province', name: regions().get('16')!.name },
            villages: false,
            date,
          })
        ).ranking.find((r) => r.code === '1603')!.active;
      expect([await ranked(LAST_DAY), await ranked('2026-06-16')]).toEqual([2, 1]);

      const program = programs.get(PROGRAM)!;
      const summaryOn = async (date: string) =>
        (await programSummary(read.query, program, date, null)).summary;
      expect((await summaryOn(LAST_DAY)).active).toBe(2);
      const after = await summaryOn('2026-06-16');
      expect({ active: after.active, ended: after.ended, byReason: after.deregistrationsByReason }).toEqual({
        active: 1,
        ended: 2,
        byReason: { lapsed: 1, moved_away: 1 },
      });

      const audit = await read.query
        .selectFrom('audit_trail')
        .selectAll()
        .where('action', '=', 'enrollment.lapse')
        .execute();
      expect(audit.map((a) => [a.enrollment_id, a.effective_date, a.reason])).toEqual([
        [enrollment(1), LAST_DAY, 'lapsed'],
      ]);

      const history = (await participantHistory(store, read.query, person(1), '2026-06-16'))!;
      const lapse = history.events.find((e) => e.type === 'CoverageLapsed')!;
      expect(lapse.details).toEqual({
        reason: 'lapsed',
        coverageFrom: '2026-01-05',
        effectiveDate: LAST_DAY,
        unpaidMonths: ['2026-03', '2026-04', '2026-05', '2026-06'],
        decidedOn: '2026-06-16',
      });
      expect(history.enrollments[0]).toMatchObject({ status: 'deregistered', endedOn: LAST_DAY });
      expect(history.asOf!.enrollments[0].status).toBe('ended');

      const live = await dump();
      for (const p of projections)
        if (p.name !== 'programs' && p.name !== 'baselines') await runner.rebuild(p.name);
      expect(await dump()).toEqual(live);
    });
  };
}

describe('SQLite: a lapse in the read models', suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: a lapse in the read models',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  suite(readDbTargets.postgres),
);
