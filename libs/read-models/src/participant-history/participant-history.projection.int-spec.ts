import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { ReadDb } from '../read-db';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { ProjectionRunner } from '../runner/projection-runner';
import { physicalName } from '../runner/tables';
import { participantHistoryProjection, participantHistoryTable } from './participant-history.projection';

const P = '0197a000-0000-7000-8000-000000000001';
const E = '0197a000-0000-7000-8000-0000000000e1';
const PROGRAM = '0197a000-0000-7000-8000-0000000000a1';
const NIK_KEY = 'a'.repeat(64);
const SEALED = { v: 1, kid: 'k', iv: 'SECRET-IV', ct: 'SECRET-CIPHERTEXT', tag: 'SECRET-TAG' };

const meta = (extra: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  occurredAt: '2026-03-01T03:00:00.000Z',
  actor: { id: 'operator-embawang', role: 'village_operator', region: '1603012011' },
  correlationId: 'corr-1',
  causationId: 'corr-1',
  schemaVersion: 1,
  ...extra,
});
const ev = (type: string, data: Record<string, unknown>, extra?: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: meta(extra),
});
const attributes = { villageCode: '1603012011', occupation: 'petani', sex: 'P', birthYear: 1990 };

function suite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-history-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  async function seed() {
    await store.append([
      {
        streamId: `participant-${P}`,
        expected: 'no_stream',
        events: [
          ev(
            'ParticipantRegistered',
            { participantId: P, personal: SEALED, ...attributes },
            { importId: 'imp-1' },
          ),
        ],
      },
      {
        streamId: `nik-${NIK_KEY}`,
        expected: 'no_stream',
        events: [
          ev(
            'CoverageClaimed',
            { enrollmentId: E, programId: PROGRAM, participantId: P },
            { importId: 'imp-1' },
          ),
        ],
      },
      {
        streamId: `enrollment-${E}`,
        expected: 'no_stream',
        events: [
          ev('EnrollmentProposed', {
            enrollmentId: E,
            programId: PROGRAM,
            participantId: P,
            nikKey: NIK_KEY,
            ...attributes,
            proposedOn: '2026-03-01',
            importId: 'imp-1',
          }),
        ],
      },
      {
        streamId: `seats-${PROGRAM}`,
        expected: 'any',
        events: [ev('SeatsTaken', { programId: PROGRAM, enrollmentIds: [E], inUse: 1 })],
      },
    ]);
    await store.append([
      {
        streamId: `enrollment-${E}`,
        expected: 0,
        events: [
          ev(
            'EnrollmentApproved',
            {
              enrollmentId: E,
              programId: PROGRAM,
              participantId: P,
              coverageFrom: '2026-04-01',
              approvedOn: '2026-03-02',
              ...attributes,
            },
            { actor: { id: 'admin', role: 'program_admin' }, correlationId: 'corr-2', causationId: 'corr-2' },
          ),
        ],
      },
    ]);
    await store.append([
      {
        streamId: `enrollment-${E}`,
        expected: 1,
        events: [
          ev('EnrollmentDeregistered', {
            enrollmentId: E,
            programId: PROGRAM,
            participantId: P,
            reason: 'moved_away',
            note: 'Pindah ke Palembang',
            coverageFrom: '2026-04-01',
            effectiveDate: '2026-06-30',
            ...attributes,
          }),
        ],
      },
      {
        streamId: `nik-${NIK_KEY}`,
        expected: 0,
        events: [
          ev('CoverageReleased', {
            enrollmentId: E,
            programId: PROGRAM,
            participantId: P,
            releasedOn: '2026-06-30',
          }),
        ],
      },
      // A release written before releases named the participant: it concerns no row.
      {
        streamId: `nik-${'b'.repeat(64)}`,
        expected: 'any',
        events: [
          ev('CoverageReleased', {
            enrollmentId: randomUUID(),
            programId: PROGRAM,
            releasedOn: '2026-06-30',
          }),
        ],
      },
    ]);
    await store.append([
      {
        streamId: `participant-${P}`,
        expected: 0,
        events: [
          ev('ParticipantErased', {
            participantId: P,
            erasedOn: '2026-07-01',
            reason: 'Permintaan subjek data',
          }),
        ],
      },
    ]);
  }

  const rows = async () =>
    (
      await read.query
        .selectFrom('participant_history')
        .selectAll()
        .where('participant_id', '=', P)
        .orderBy('position')
        .execute()
    ).map(
      (
        r: Record<string, unknown>,
      ): Record<string, unknown> & { position: number; details: Record<string, unknown> } => ({
        ...r,
        position: Number(r.position),
        details: JSON.parse(r.details as string) as Record<string, unknown>,
      }),
    );

  it('one row per event about the person, in position order, without personal data or the NIK HMAC', async () => {
    await seed();
    const runner = new ProjectionRunner(store, read, [participantHistoryProjection], { batchSize: 3 });
    await runner.install();
    await runner.catchUp();
    const history = await rows();
    expect(history.map((r) => r.type)).toEqual([
      'ParticipantRegistered',
      'CoverageClaimed',
      'EnrollmentProposed',
      'EnrollmentApproved',
      'EnrollmentDeregistered',
      'CoverageReleased',
      'ParticipantErased',
    ]);
    const positions = history.map((r) => r.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(history[0]).toMatchObject({
      participant_id: P,
      stream_id: `participant-${P}`,
      occurred_at: '2026-03-01T03:00:00.000Z',
      recorded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor_id: 'operator-embawang',
      actor_role: 'village_operator',
      correlation_id: 'corr-1',
      causation_id: 'corr-1',
      import_id: 'imp-1',
      enrollment_id: null,
      program_id: null,
      details: attributes,
    });
    expect(history[1]).toMatchObject({
      stream_id: 'nik-*',
      import_id: 'imp-1',
      enrollment_id: E,
      program_id: PROGRAM,
      details: {},
    });
    expect(history[2]).toMatchObject({
      import_id: 'imp-1',
      details: { proposedOn: '2026-03-01', ...attributes },
    });
    expect(history[3]).toMatchObject({
      actor_role: 'program_admin',
      correlation_id: 'corr-2',
      import_id: null,
      details: { coverageFrom: '2026-04-01', approvedOn: '2026-03-02' },
    });
    expect(history[4].details).toEqual({
      reason: 'moved_away',
      note: 'Pindah ke Palembang',
      coverageFrom: '2026-04-01',
      effectiveDate: '2026-06-30',
    });
    expect(history[5].details).toEqual({ releasedOn: '2026-06-30' });
    expect(history[6].details).toEqual({ erasedOn: '2026-07-01', reason: 'Permintaan subjek data' });
    const all = JSON.stringify(await read.query.selectFrom('participant_history').selectAll().execute());
    for (const secret of ['SECRET', NIK_KEY, 'b'.repeat(64), 'nikKey', 'personal'])
      expect(all).not.toContain(secret);
    expect(
      await read.query.selectFrom('participant_history').select('participant_id').distinct().execute(),
    ).toHaveLength(1);
  });

  it('applying a batch again changes nothing; a rebuild gives the same rows', async () => {
    await seed();
    const runner = new ProjectionRunner(store, read, [participantHistoryProjection]);
    await runner.install();
    await runner.catchUp();
    const first = await rows();
    const events = await store.readAll();
    await read.db
      .transaction()
      .execute((trx) =>
        participantHistoryProjection.apply(events, trx, (logical) => physicalName(logical, 1), read.dialect),
      );
    expect(await rows()).toEqual(first);
    await runner.rebuild(participantHistoryProjection.name);
    expect(await rows()).toEqual(first);
    expect(participantHistoryTable.primaryKey).toEqual(['participant_id', 'position']);
  });
}

describe('SQLite: participant_history projection', () => suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: participant_history projection',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite(readDbTargets.postgres),
);
