/**
 * The auditor's view of a participant over HTTP (GET /api/participants/:id/history), once on
 * SQLite and once on PostgreSQL: the events about a person in order with their actors,
 * correlation and import ids; the coverage on a given day (asOf); masking by role; erasure;
 * scope, validation and not-found refusals.
 */
import { randomUUID } from 'node:crypto';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { dayBefore } from '@ledger/ledger/shared/dates';
import {
  createPeopleGenerator,
  type PeopleGenerator,
  type SyntheticPerson,
} from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  PAGAR_DEWA,
  programBody,
  proposal,
  SAROLANGUN,
} from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectProblem(response: ApiResponse, status: number, rule: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type: problemType(rule) });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

const maskedLikeLedger = (nik: string) => `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(-2)}`;

function historySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let people: PeopleGenerator;
  let admin: string;
  let operator: string;
  let auditor: string;
  let viewer: string;
  let foreignViewer: string;
  let neighbourOperator: string;
  const today = todayWib();
  const next = Number(today.slice(0, 4)) + 1;
  /** A correlation id per command, sent as x-correlation-id. */
  const corr = (step: string) => `hist-${mode}-${step}`;

  /** The worker of the main story, with two enrollments. */
  let worker: SyntheticPerson;
  let participantId: string;
  let first: { programId: string; enrollmentId: string };
  let second: { programId: string; enrollmentId: string };
  let token = 0;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    people = createPeopleGenerator({ seed: 7_302, today });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    viewer = await ledger.token('viewer', ['ID'], 'viewer-nasional');
    foreignViewer = await ledger.token('viewer', [SAROLANGUN], 'viewer-sarolangun');
    neighbourOperator = await ledger.token('village_operator', [PAGAR_DEWA], 'operator-pagar-dewa');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const person = () => people.next({ villageCode: EMBAWANG, maxAge: 50 });

  /** A command that must succeed; returns its body and remembers its consistency token. */
  async function ok(url: string, who: string, body: unknown, step: string, status = 200) {
    const response = await ledger.post(url, who, body, { 'x-correlation-id': corr(step) });
    expect({ status: response.status, body: response.body }).toEqual({ status, body: expect.anything() });
    token = Math.max(token, response.body.consistencyToken ?? 0);
    return response.body;
  }

  async function establish(name: string, period: { from: string; to: string }) {
    return (
      await ok('/api/programs', admin, programBody({ name, period, quota: 10 }), `establish-${name}`, 201)
    ).programId as string;
  }

  const history = (id: string, who: string, query = '') =>
    ledger.get(`/api/participants/${id}/history?consistentWith=${token}${query}`, who);

  beforeAll(async () => {
    worker = person();
    // First program: this year to the end of next year.
    const programA = await establish('Program Riwayat A', { from: `${next - 1}-01-01`, to: `${next}-12-31` });
    const proposed = await ok(
      `/api/programs/${programA}/enrollments`,
      operator,
      proposal(worker),
      'propose-a',
      201,
    );
    participantId = proposed.participantId;
    first = { programId: programA, enrollmentId: proposed.enrollmentId };
    await ok(
      `/api/enrollments/${first.enrollmentId}/approval`,
      admin,
      { coverageFrom: `${next}-02-01` },
      'approve-a',
    );
    await ok(
      `/api/enrollments/${first.enrollmentId}/deregistration`,
      admin,
      { reason: 'moved_away', effectiveDate: `${next}-03-31`, note: 'Pindah ke Palembang' },
      'deregister-a',
    );
    // A later program, closed before its period ends.
    const programB = await establish('Program Riwayat B', { from: `${next}-04-01`, to: `${next}-12-31` });
    const again = await ok(
      `/api/programs/${programB}/enrollments`,
      operator,
      proposal(worker),
      'propose-b',
      201,
    );
    expect(again.participantId).toBe(participantId);
    second = { programId: programB, enrollmentId: again.enrollmentId };
    await ok(
      `/api/enrollments/${second.enrollmentId}/approval`,
      admin,
      { coverageFrom: `${next}-04-01` },
      'approve-b',
    );
    await ok(`/api/programs/${programB}/closure`, admin, { closedOn: `${next}-10-31` }, 'close-b', 201);
  }, 60_000);

  it('lists every event about the person in position order, with actors and the x-correlation-id of each command', async () => {
    const response = await history(participantId, auditor);
    expect(response.status).toBe(200);
    const events = response.body.events as {
      position: number;
      type: string;
      streamId: string;
      actor: { id: string; role: string };
      correlationId: string;
      causationId: string;
      importId: string | null;
      enrollmentId: string | null;
      programId: string | null;
      occurredAt: string;
      recordedAt: string;
      details: Record<string, unknown>;
    }[];
    expect(events.map((e) => [e.type, e.enrollmentId, e.actor.role, e.correlationId])).toEqual([
      ['ParticipantRegistered', null, 'village_operator', corr('propose-a')],
      ['CoverageClaimed', first.enrollmentId, 'village_operator', corr('propose-a')],
      ['EnrollmentProposed', first.enrollmentId, 'village_operator', corr('propose-a')],
      ['EnrollmentApproved', first.enrollmentId, 'program_admin', corr('approve-a')],
      ['EnrollmentDeregistered', first.enrollmentId, 'program_admin', corr('deregister-a')],
      ['CoverageReleased', first.enrollmentId, 'program_admin', corr('deregister-a')],
      ['CoverageClaimed', second.enrollmentId, 'village_operator', corr('propose-b')],
      ['EnrollmentProposed', second.enrollmentId, 'village_operator', corr('propose-b')],
      ['EnrollmentApproved', second.enrollmentId, 'program_admin', corr('approve-b')],
    ]);
    const positions = events.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    for (const e of events) {
      expect(e.causationId).toBe(e.correlationId);
      expect(e.actor.id).toBe(e.actor.role === 'program_admin' ? 'admin-muara-enim' : 'operator-embawang');
      expect(e.importId).toBeNull();
      expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(Date.parse(e.occurredAt));
    }
    expect(events[0]).toMatchObject({
      streamId: `participant-${participantId}`,
      details: {
        villageCode: EMBAWANG,
        occupation: worker.occupation,
        sex: worker.sex,
        birthYear: Number(worker.birthDate.slice(0, 4)),
      },
    });
    // The NIK registry's stream is named by the NIK's HMAC, which is not shown.
    expect(events[1].streamId).toBe('nik-*');
    expect(events[2]).toMatchObject({
      streamId: `enrollment-${first.enrollmentId}`,
      programId: first.programId,
      details: { proposedOn: today },
    });
    expect(events[3].details).toEqual({ coverageFrom: `${next}-02-01`, approvedOn: today });
    expect(events[4].details).toEqual({
      reason: 'moved_away',
      note: 'Pindah ke Palembang',
      coverageFrom: `${next}-02-01`,
      effectiveDate: `${next}-03-31`,
    });
    expect(events[8].programId).toBe(second.programId);
    // No personal data in the events, for any role.
    const text = JSON.stringify(events);
    for (const secret of [worker.nik, worker.name, worker.birthDate, worker.phone, 'nikKey', 'personal']) {
      expect(text).not.toContain(secret);
    }
  });

  it('the participant: auditors see the full personal data, other roles a masked one', async () => {
    const audited = await history(participantId, auditor);
    expect(audited.body.participant).toEqual({
      id: participantId,
      status: 'active',
      personal: { nik: worker.nik, name: worker.name, birthDate: worker.birthDate, phone: worker.phone },
      sex: worker.sex,
      birthYear: Number(worker.birthDate.slice(0, 4)),
      villageCode: EMBAWANG,
    });
    for (const who of [viewer, operator, admin]) {
      const masked = await history(participantId, who);
      expect(masked.status).toBe(200);
      expect(masked.body.participant.personal).toEqual({
        nik: maskedLikeLedger(worker.nik),
        name: expect.any(String),
        birthDate: `${worker.birthDate.slice(0, 4)}-**-**`,
        phone: `${worker.phone.slice(0, 4)}******`,
      });
      expect(masked.text).not.toContain(worker.nik);
      expect(masked.text).not.toContain(worker.name);
      // The same masking as GET /api/participants/:id.
      const participant = await ledger.get(`/api/participants/${participantId}`, who);
      expect(participant.body.personal).toEqual(masked.body.participant.personal);
    }
  });

  it('asOf: the status and coverage period of each enrollment on that day', async () => {
    const on = async (date: string) => {
      const response = await history(participantId, viewer, `&asOf=${date}`);
      expect(response.status).toBe(200);
      expect(response.body.asOf.date).toBe(date);
      return (
        response.body.asOf.enrollments as {
          enrollmentId: string;
          programId: string;
          programName: string;
          status: string;
          coverage: unknown;
        }[]
      ).map((e) => [e.enrollmentId, e.programName, e.status, e.coverage]);
    };
    const a = (status: string, coverage: unknown) => [
      first.enrollmentId,
      'Program Riwayat A',
      status,
      coverage,
    ];
    const b = (status: string, coverage: unknown) => [
      second.enrollmentId,
      'Program Riwayat B',
      status,
      coverage,
    ];
    const periodA = { from: `${next}-02-01`, to: `${next}-03-31` };
    // Program B ends on its closing day, before its period end.
    const periodB = { from: `${next}-04-01`, to: `${next}-10-31` };

    // Before the proposal: nothing yet.
    expect(await on(dayBefore(today))).toEqual([a('none', null), b('none', null)]);
    // Proposed and approved today, coverage starting next year.
    expect(await on(today)).toEqual([
      a('approved-not-yet-started', periodA),
      b('approved-not-yet-started', periodB),
    ]);
    expect(await on(`${next}-01-31`)).toEqual([
      a('approved-not-yet-started', periodA),
      b('approved-not-yet-started', periodB),
    ]);
    // During the first coverage, both ends included.
    expect(await on(`${next}-02-01`)).toEqual([a('active', periodA), b('approved-not-yet-started', periodB)]);
    expect(await on(`${next}-03-31`)).toEqual([a('active', periodA), b('approved-not-yet-started', periodB)]);
    // After the deregistration's last day; the second program has started.
    expect(await on(`${next}-04-01`)).toEqual([a('ended', periodA), b('active', periodB)]);
    expect(await on(`${next}-10-31`)).toEqual([a('ended', periodA), b('active', periodB)]);
    // After the program's end (its closing day).
    expect(await on(`${next}-11-01`)).toEqual([a('ended', periodA), b('ended', periodB)]);

    const plain = await history(participantId, viewer);
    expect(plain.body.asOf).toBeUndefined();
  });

  it('an imported row carries its import id; proposed and rejected statuses as of today', async () => {
    const programId = await establish('Program Riwayat Impor', {
      from: `${next - 1}-01-01`,
      to: `${next}-12-31`,
    });
    const [imported, rejectedWorker] = [person(), person()];
    const upload = await ledger.post(
      `/api/programs/${programId}/enrollments/import`,
      operator,
      nominationCsv([nominationRow(imported), nominationRow(rejectedWorker)]),
      { 'content-type': 'text/csv', 'x-file-name': 'usulan-riwayat.csv', 'x-correlation-id': corr('import') },
    );
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ accepted: 2, rejected: 0 });
    const importId = upload.body.importId as string;
    token = Math.max(token, upload.body.consistencyToken);
    const report = await ledger.get(
      `/api/imports/${importId}/report?format=json&consistentWith=${token}`,
      operator,
    );
    const [rowA, rowB] = report.body.rows as { enrollmentId: string }[];
    const participantOf = async (enrollmentId: string) =>
      (await ledger.get(`/api/enrollments/${enrollmentId}?consistentWith=${token}`, admin)).body
        .participantId as string;
    const importedId = await participantOf(rowA.enrollmentId);
    const rejectedId = await participantOf(rowB.enrollmentId);
    await ok(
      `/api/enrollments/${rowB.enrollmentId}/rejection`,
      admin,
      { reason: 'Bukan pekerja rentan' },
      'reject',
    );

    const response = await history(importedId, auditor, `&asOf=${today}`);
    expect(response.status).toBe(200);
    expect(
      response.body.events.map((e: { type: string; importId: string; correlationId: string }) => [
        e.type,
        e.importId,
        e.correlationId,
      ]),
    ).toEqual([
      ['ParticipantRegistered', importId, corr('import')],
      ['CoverageClaimed', importId, corr('import')],
      ['EnrollmentProposed', importId, corr('import')],
    ]);
    expect(response.body.asOf.enrollments).toEqual([
      {
        enrollmentId: rowA.enrollmentId,
        programId,
        programName: 'Program Riwayat Impor',
        status: 'proposed',
        coverage: null,
      },
    ]);

    const rejected = await history(rejectedId, auditor, `&asOf=${today}`);
    expect(
      rejected.body.events.map((e: { type: string; importId: string | null }) => [e.type, e.importId]),
    ).toEqual([
      ['ParticipantRegistered', importId],
      ['CoverageClaimed', importId],
      ['EnrollmentProposed', importId],
      ['EnrollmentRejected', null],
      ['CoverageReleased', null],
    ]);
    expect(rejected.body.events[3].details).toEqual({ reason: 'Bukan pekerja rentan', rejectedOn: today });
    expect(rejected.body.asOf.enrollments).toEqual([
      {
        enrollmentId: rowB.enrollmentId,
        programId,
        programName: 'Program Riwayat Impor',
        status: 'rejected',
        coverage: null,
      },
    ]);
  });

  it('refusals: foreign scope 403, unknown id 404, malformed id or asOf 400, no token 401', async () => {
    expectProblem(await history(participantId, foreignViewer), 403, 'auth.scope');
    expectProblem(await history(participantId, neighbourOperator), 403, 'auth.scope');
    expectProblem(await history(randomUUID(), auditor), 404, 'participant.notFound');
    const badId = await ledger.get('/api/participants/not-a-uuid/history', auditor);
    expectProblem(badId, 400, 'request.invalid');
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'isUuid' })]);
    for (const asOf of [`${next}-02-30`, '31-12-2026', 'kemarin', '', `${next}-2-1`]) {
      const bad = await ledger.get(`/api/participants/${participantId}/history?asOf=${asOf}`, auditor);
      expectProblem(bad, 400, 'request.invalid');
      expect(bad.body.errors).toEqual([
        { field: 'asOf', rule: 'isCalendarDate', message: expect.any(String) },
      ]);
    }
    const twice = await ledger.get(
      `/api/participants/${participantId}/history?asOf=${today}&asOf=${today}`,
      auditor,
    );
    expectProblem(twice, 400, 'request.invalid');
    expectProblem(
      await ledger.get(`/api/participants/${participantId}/history?consistentWith=abc`, auditor),
      400,
      'request.invalid',
    );
    expect((await ledger.get(`/api/participants/${participantId}/history`)).status).toBe(401);
  });

  it('after erasure: status and personal are "erased" for every role, the events are still listed', async () => {
    const before = (await history(participantId, auditor)).body.events.length as number;
    const erased = await ok(
      `/api/participants/${participantId}/erasure`,
      admin,
      { reason: 'Permintaan subjek data' },
      'erase',
    );
    expect(erased).toMatchObject({ erased: true });
    for (const who of [auditor, viewer]) {
      const response = await history(participantId, who, `&asOf=${next}-03-01`);
      expect(response.status).toBe(200);
      expect(response.body.participant).toMatchObject({
        id: participantId,
        status: 'erased',
        personal: 'erased',
        villageCode: EMBAWANG,
      });
      expect(response.body.events).toHaveLength(before + 1);
      expect(response.body.events[before]).toMatchObject({
        type: 'ParticipantErased',
        actor: { id: 'admin-muara-enim', role: 'program_admin' },
        correlationId: corr('erase'),
        details: { erasedOn: today, reason: 'Permintaan subjek data' },
      });
      // Coverage is not personal: it stays.
      expect(response.body.asOf.enrollments.map((e: { status: string }) => e.status)).toEqual([
        'active',
        'approved-not-yet-started',
      ]);
      expect(response.text).not.toContain(worker.nik);
      expect(response.text).not.toContain(worker.name);
    }
  });
}

describe('SQLite e2e: participant history', () => historySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: participant history',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => historySuite('postgres'),
);
