import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { enrollmentsProjection } from '../enrollments/enrollments.projection';
import type { ReadDb } from '../read-db';
import { ProjectionRunner } from '../runner/projection-runner';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { participantHistory } from './participant-history';

const P = '0197a000-0000-7000-8000-000000000001';
const E = '0197a000-0000-7000-8000-0000000000e1';
const E2 = '0197a000-0000-7000-8000-0000000000e2';
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
const proposed = (enrollmentId: string, proposedOn: string) => ({
  enrollmentId,
  programId: PROGRAM,
  participantId: P,
  nikKey: NIK_KEY,
  ...attributes,
  proposedOn,
  importId: 'imp-1',
});

function suite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-history-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  /**
   * One participant: registered and proposed on March 1, approved at 18:00 UTC on March 1
   * (March 2 in WIB), deregistered in July with effect from June 30, then erased; a second
   * enrollment proposed and rejected in August. Plus another person's release in the registry.
   */
  async function seed() {
    await store.append([
      {
        streamId: `program-${PROGRAM}`,
        expected: 'no_stream',
        events: [
          ev('ProgramEstablished', {
            programId: PROGRAM,
            name: 'Program Riwayat',
            ownerRegion: '1603',
            payer: 'regency',
            fundingSource: 'APBD',
            benefitPackage: 'JKK_JKM',
            declaredIncome: 1_000_000,
            contribution: { total: 16_800 },
            period: { from: '2026-01-01', to: '2026-12-31' },
            quota: 10,
            ageCap: 65,
            eligibleOccupations: null,
            budgetCeiling: null,
          }),
        ],
      },
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
        events: [ev('EnrollmentProposed', proposed(E, '2026-03-01'))],
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
            {
              occurredAt: '2026-03-01T18:00:00.000Z',
              actor: { id: 'admin', role: 'program_admin' },
              correlationId: 'corr-2',
              causationId: 'corr-2',
            },
          ),
        ],
      },
    ]);
    const july = { occurredAt: '2026-07-05T03:00:00.000Z' };
    await store.append([
      {
        streamId: `enrollment-${E}`,
        expected: 1,
        events: [
          ev(
            'EnrollmentDeregistered',
            {
              enrollmentId: E,
              programId: PROGRAM,
              participantId: P,
              reason: 'moved_away',
              note: 'Pindah ke Palembang',
              coverageFrom: '2026-04-01',
              effectiveDate: '2026-06-30',
              ...attributes,
            },
            july,
          ),
        ],
      },
      {
        streamId: `nik-${NIK_KEY}`,
        expected: 0,
        events: [
          ev(
            'CoverageReleased',
            { enrollmentId: E, programId: PROGRAM, participantId: P, releasedOn: '2026-06-30' },
            july,
          ),
        ],
      },
      // Another person's release, in another registry stream: not theirs.
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
          ev(
            'ParticipantErased',
            { participantId: P, erasedOn: '2026-07-10', reason: 'Permintaan subjek data' },
            {
              occurredAt: '2026-07-10T03:00:00.000Z',
            },
          ),
        ],
      },
    ]);
    const august = (day: string) => ({ occurredAt: `2026-08-${day}T03:00:00.000Z` });
    await store.append([
      {
        streamId: `enrollment-${E2}`,
        expected: 'no_stream',
        events: [ev('EnrollmentProposed', proposed(E2, '2026-08-01'), august('01'))],
      },
    ]);
    await store.append([
      {
        streamId: `enrollment-${E2}`,
        expected: 0,
        events: [
          ev(
            'EnrollmentRejected',
            {
              enrollmentId: E2,
              programId: PROGRAM,
              participantId: P,
              reason: 'double',
              rejectedOn: '2026-08-02',
            },
            august('02'),
          ),
        ],
      },
    ]);
  }

  const installed = async () => {
    const runner = new ProjectionRunner(store, read, [enrollmentsProjection]);
    await runner.install();
    return runner;
  };
  const catchUp = async () => {
    const runner = await installed();
    await runner.catchUp();
    return runner;
  };

  it('every event about the person from the log, in position order, without personal data or the NIK HMAC', async () => {
    await seed();
    await catchUp();
    const history = (await participantHistory(store, read.query, P))!;
    expect(history.events.map((e) => e.type)).toEqual([
      'ParticipantRegistered',
      'CoverageClaimed',
      'EnrollmentProposed',
      'EnrollmentApproved',
      'EnrollmentDeregistered',
      'CoverageReleased',
      'ParticipantErased',
      'EnrollmentProposed',
      'EnrollmentRejected',
    ]);
    const positions = history.events.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(history.events[0]).toEqual({
      position: positions[0],
      streamId: `participant-${P}`,
      occurredAt: '2026-03-01T03:00:00.000Z',
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      type: 'ParticipantRegistered',
      actor: { id: 'operator-embawang', role: 'village_operator' },
      correlationId: 'corr-1',
      causationId: 'corr-1',
      importId: 'imp-1',
      enrollmentId: null,
      programId: null,
      details: attributes,
    });
    expect(history.events[1]).toMatchObject({
      streamId: 'nik-*',
      importId: 'imp-1',
      enrollmentId: E,
      programId: PROGRAM,
      details: {},
    });
    expect(history.events[2]).toMatchObject({
      importId: 'imp-1',
      details: { proposedOn: '2026-03-01', ...attributes },
    });
    expect(history.events[3]).toMatchObject({
      actor: { role: 'program_admin' },
      correlationId: 'corr-2',
      importId: null,
      details: { coverageFrom: '2026-04-01', approvedOn: '2026-03-02' },
    });
    expect(history.events[4].details).toEqual({
      reason: 'moved_away',
      note: 'Pindah ke Palembang',
      coverageFrom: '2026-04-01',
      effectiveDate: '2026-06-30',
    });
    expect(history.events[5].details).toEqual({ releasedOn: '2026-06-30' });
    expect(history.events[6].details).toEqual({ erasedOn: '2026-07-10', reason: 'Permintaan subjek data' });
    expect(history.participant).toEqual({ id: P, erased: true, ...attributes });
    expect(history.enrollments).toEqual([
      {
        enrollmentId: E,
        programId: PROGRAM,
        programName: 'Program Riwayat',
        status: 'deregistered',
        coverageFrom: '2026-04-01',
        endedOn: '2026-06-30',
        programEnd: '2026-12-31',
      },
      expect.objectContaining({ enrollmentId: E2, status: 'rejected', coverageFrom: null }),
    ]);
    // Only the sealed blob carries personal data, for a caller that holds the key.
    expect(history.sealedPersonal).toEqual(SEALED);
    const { sealedPersonal: _sealed, ...shown } = history;
    const text = JSON.stringify(shown);
    for (const secret of ['SECRET', NIK_KEY, 'b'.repeat(64), 'nikKey', 'personal'])
      expect(text).not.toContain(secret);
    expect(await participantHistory(store, read.query, randomUUID())).toBeNull();
  });

  it('enrollments the read model has not taken in yet are found in the log after its checkpoint', async () => {
    await seed();
    const runner = await installed();
    const fromLog = await participantHistory(store, read.query, P); // nothing projected yet
    await runner.catchUp();
    const projected = await participantHistory(store, read.query, P);
    expect(fromLog).toEqual(projected);
    expect(projected!.enrollments.map((e) => e.enrollmentId)).toEqual([E, E2]);

    const E3 = randomUUID();
    await store.append([
      {
        streamId: `enrollment-${E3}`,
        expected: 'no_stream',
        events: [ev('EnrollmentProposed', proposed(E3, '2026-09-01'))],
      },
    ]);
    const ahead = await participantHistory(store, read.query, P);
    expect(ahead!.enrollments.map((e) => e.enrollmentId)).toEqual([E, E2, E3]);
    await runner.catchUp();
    expect(await participantHistory(store, read.query, P)).toEqual(ahead);
  });

  it('as of a day: by the effective dates the events carry, whenever they were recorded', async () => {
    await seed();
    await catchUp();
    const on = async (date: string) =>
      (await participantHistory(store, read.query, P, date))!.asOf!.enrollments.map((e) => [
        e.enrollmentId,
        e.status,
        e.coverage,
      ]);
    expect(await on('2026-02-28')).toEqual([
      [E, 'none', null],
      [E2, 'none', null],
    ]);
    expect((await on('2026-03-01'))[0]).toEqual([E, 'proposed', null]);
    // Approved on March 2 (its approvedOn): from then on the coverage is granted, to its last day.
    expect((await on('2026-03-02'))[0]).toEqual([
      E,
      'approved-not-yet-started',
      { from: '2026-04-01', to: '2026-06-30' },
    ]);
    expect((await on('2026-06-30'))[0]).toEqual([E, 'active', { from: '2026-04-01', to: '2026-06-30' }]);
    // The deregistration recorded on July 5 with June 30 as the last day: ended on July 1 already.
    expect((await on('2026-07-01'))[0]).toEqual([E, 'ended', { from: '2026-04-01', to: '2026-06-30' }]);
    expect((await on('2026-08-01'))[1]).toEqual([E2, 'proposed', null]);
    expect((await on('2026-08-02'))[1]).toEqual([E2, 'rejected', null]);
  });

  it('with knownAt: only the events up to that position, listed and folded; echoed', async () => {
    await seed();
    await catchUp();
    const whole = (await participantHistory(store, read.query, P))!;
    const deregistered = whole.events.find((e) => e.type === 'EnrollmentDeregistered')!.position;
    const before = (await participantHistory(store, read.query, P, '2026-07-01', deregistered - 1))!;
    expect(before.knownAt).toBe(deregistered - 1);
    expect(before.events.map((e) => e.type)).toEqual([
      'ParticipantRegistered',
      'CoverageClaimed',
      'EnrollmentProposed',
      'EnrollmentApproved',
    ]);
    expect(before.events.every((e) => e.position < deregistered)).toBe(true);
    // The second enrollment was proposed later: unknown then.
    expect(before.enrollments).toEqual([
      expect.objectContaining({
        enrollmentId: E,
        status: 'approved',
        endedOn: null,
        programEnd: '2026-12-31',
      }),
    ]);
    // As the ledger knew it before the deregistration, the coverage ran on July 1.
    expect(before.asOf!.enrollments).toEqual([
      expect.objectContaining({
        enrollmentId: E,
        status: 'active',
        coverage: { from: '2026-04-01', to: '2026-12-31' },
      }),
    ]);
    // Erasure is the present, whatever the position: the person's key is gone.
    expect(before.participant.erased).toBe(true);
    const at = (await participantHistory(store, read.query, P, '2026-07-01', deregistered))!;
    expect(at.asOf!.enrollments[0]).toMatchObject({ status: 'ended', coverage: { to: '2026-06-30' } });
    expect(at.events.map((e) => e.type)).toContain('EnrollmentDeregistered');
    // Before the person was registered the ledger did not know them.
    expect(await participantHistory(store, read.query, P, undefined, 0)).toBeNull();
    // At the head it is the whole history, with the position echoed.
    const head = await store.headPosition();
    expect({
      ...(await participantHistory(store, read.query, P, undefined, head))!,
      knownAt: undefined,
    }).toEqual({
      ...whole,
      knownAt: undefined,
    });
  });
}

describe('SQLite: participant history from the log', () => suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: participant history from the log',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite(readDbTargets.postgres),
);
