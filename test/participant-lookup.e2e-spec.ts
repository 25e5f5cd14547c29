/**
 * Finding a person by NIK over HTTP (POST /api/participants/lookup), once on SQLite and once on
 * PostgreSQL: the NIK travels in the body and is looked up through its HMAC in the NIK registry;
 * the answer is scoped like GET /api/participants/{id}, and a lookup outside the scope answers
 * exactly what an unknown NIK answers; an invalid NIK is a 422 naming `nik` and the rule; an
 * erased person is no longer found by their NIK; lookups are limited per user.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { maskNik } from '@ledger/ledger/participants/nik';
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
  PAGAR_DEWA,
  programBody,
  proposal,
  SAROLANGUN,
} from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;
const LIMIT = 12;

function lookupSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let people: PeopleGenerator;
  let admin: string;
  let auditor: string;
  let operator: string;
  let neighbourOperator: string;
  let foreignAdmin: string;
  let programId: string;
  let worker: SyntheticPerson;
  let participantId: string;
  let enrollmentId: string;
  let token = 0;

  const lookup = (who: string, nik: unknown) =>
    ledger.post(`/api/participants/lookup?consistentWith=${token}`, who, { nik });

  async function ok(url: string, who: string, body: unknown, status = 200) {
    const response = await ledger.post(url, who, body);
    expect({ url, status: response.status }).toEqual({ url, status });
    token = Math.max(token, response.body.consistencyToken ?? 0);
    return response.body;
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode, { LEDGER_NIK_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    people = createPeopleGenerator({ seed: 9_417, today: todayWib() });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'lookup-admin');
    auditor = await ledger.token('auditor', ['16'], 'lookup-auditor');
    operator = await ledger.token('village_operator', [EMBAWANG], 'lookup-operator');
    neighbourOperator = await ledger.token('village_operator', [PAGAR_DEWA], 'lookup-neighbour');
    foreignAdmin = await ledger.token('program_admin', [SAROLANGUN], 'lookup-foreign');
    programId = (await ok('/api/programs', admin, programBody({ quota: 10 }), 201)).programId;
    worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    const proposed = await ok(`/api/programs/${programId}/enrollments`, operator, proposal(worker), 201);
    participantId = proposed.participantId;
    enrollmentId = proposed.enrollmentId;
    await ok(`/api/enrollments/${enrollmentId}/approval`, admin, { coverageFrom: todayWib() });
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('finds the person by NIK with their enrollments, masked for a program admin and in full for an auditor', async () => {
    const found = await lookup(admin, worker.nik);
    expect(found.status).toBe(200);
    expect(found.body.participants).toHaveLength(1);
    expect(found.body.participants[0]).toMatchObject({
      id: participantId,
      status: 'active',
      villageCode: EMBAWANG,
      personal: { nik: maskNik(worker.nik) },
      enrollments: [{ enrollmentId, programId, status: 'approved', coverageFrom: todayWib() }],
    });
    expect(found.text).not.toContain(worker.nik);
    expect(found.text).not.toContain(worker.name);

    const audited = await lookup(auditor, worker.nik);
    expect(audited.body.participants[0].personal).toMatchObject({ nik: worker.nik, name: worker.name });
    // The village operator of the person's own village finds them too.
    expect((await lookup(operator, worker.nik)).body.participants[0].id).toBe(participantId);
  });

  it('takes the NIK as operators group it (spaces, dots)', async () => {
    const n = worker.nik;
    const grouped = `${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)} ${n.slice(6, 12)} ${n.slice(12)}`;
    expect((await lookup(admin, ` ${grouped} `)).body.participants.map((p: { id: string }) => p.id)).toEqual([
      participantId,
    ]);
  });

  it('outside the scope answers exactly what an unknown NIK answers', async () => {
    const stranger = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    const unknown = await lookup(foreignAdmin, stranger.nik);
    const foreign = await lookup(foreignAdmin, worker.nik);
    const neighbour = await lookup(neighbourOperator, worker.nik);
    const unknownForNeighbour = await lookup(neighbourOperator, stranger.nik);
    const shape = (r: ApiResponse) => ({
      status: r.status,
      type: r.headers['content-type'],
      text: r.text,
    });
    expect(shape(unknown)).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      text: '{"participants":[]}',
    });
    expect(shape(foreign)).toEqual(shape(unknown));
    expect(shape(neighbour)).toEqual(shape(unknownForNeighbour));
  });

  it('refuses an invalid NIK with 422 naming nik and each rule, without repeating it, and changes nothing', async () => {
    const before = await ledger.runtime.store.headPosition();
    const short = await lookup(admin, '16030112');
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({
      type: problemType('nik.length'),
      errors: [{ field: 'nik', rule: 'nik.length' }],
    });
    expect(short.text).not.toContain('16030112');
    const badDate = await lookup(admin, '1603019913900001');
    expect(badDate.status).toBe(422);
    expect(badDate.body.errors).toEqual([
      expect.objectContaining({ field: 'nik', rule: 'nik.date' }),
      expect.objectContaining({ field: 'nik', rule: 'nik.date' }),
    ]);
    const serial = await lookup(admin, `${worker.nik.slice(0, 12)}0000`);
    expect(serial.body.errors).toEqual([expect.objectContaining({ field: 'nik', rule: 'nik.serial' })]);
    // Not a string, or missing: the body itself is malformed (400), naming the field.
    const number = await lookup(admin, Number(worker.nik));
    expect(number.status).toBe(400);
    expect(number.body.errors).toContainEqual(expect.objectContaining({ field: 'nik', rule: 'isString' }));
    expect(number.text).not.toContain(worker.nik);
    const missing = await ledger.post('/api/participants/lookup', admin, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'nik', rule: 'required', message: 'nik wajib diisi' }]);
    expect(await ledger.runtime.store.headPosition()).toBe(before);
  });

  it('no longer finds an erased person by their NIK; a new proposal of the NIK is found as the new person', async () => {
    await ok(`/api/enrollments/${enrollmentId}/deregistration`, admin, {
      reason: 'voluntary',
      effectiveDate: todayWib(),
    });
    await ok(`/api/participants/${participantId}/erasure`, admin, { reason: 'Permintaan subjek data' });
    for (const who of [admin, auditor])
      expect((await lookup(who, worker.nik)).body).toEqual({ participants: [] });
    // The history by id still shows the erased state.
    const history = await ledger.get(`/api/participants/${participantId}/history`, auditor);
    expect(history.body.participant).toMatchObject({ status: 'erased', personal: 'erased' });

    // Proposed again (a later program, after the ended coverage): a new registration, found by the NIK.
    const later = Number(todayWib().slice(0, 4)) + 2;
    const other = await ok(
      '/api/programs',
      admin,
      programBody({
        name: 'Program Kedua',
        quota: 5,
        period: { from: `${later}-01-01`, to: `${later}-12-31` },
      }),
      201,
    );
    const again = await ok(`/api/programs/${other.programId}/enrollments`, operator, proposal(worker), 201);
    expect(again.participantId).not.toBe(participantId);
    const found = await lookup(admin, worker.nik);
    expect(found.body.participants.map((p: { id: string }) => p.id)).toEqual([again.participantId]);
  });

  it('limits lookups per user with 429, another user going on', async () => {
    const busy = await ledger.token('viewer', [MUARA_ENIM], 'lookup-busy');
    const stranger = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    let limited: ApiResponse | undefined;
    for (let i = 0; i <= LIMIT && !limited; i++) {
      const response = await lookup(busy, stranger.nik);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited?.body).toMatchObject({ type: problemType('rate.limited'), limit: LIMIT });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    const colleague = await ledger.token('viewer', [MUARA_ENIM], 'lookup-colleague');
    expect((await lookup(colleague, stranger.nik)).status).toBe(200);
  });
}

describe('SQLite e2e: finding a participant by NIK', () => lookupSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: finding a participant by NIK',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => lookupSuite('postgres'),
);
