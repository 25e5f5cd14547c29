/**
 * No NIK oracle: a proposal refused because the NIK is covered by a program outside the
 * caller's scope names nothing of that program, and the attempt is recorded (who, when, the
 * NIK masked) where an auditor sees it — for single proposals, for imports, and still after
 * the covered person was erased. A caller whose scope reaches the program is told which one.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { COVERED_ELSEWHERE_MESSAGE } from '@ledger/ledger/enrollment/propose/allocate';
import { maskNik } from '@ledger/ledger/participants/nik';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  PAGAR_DEWA,
  programBody,
  proposal,
  SIJUNJUNG,
  TIMBULUN,
} from './support/ledger-fixtures';

function oracleSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let sijunjungAdmin: string;
  let muaraEnimAdmin: string;
  let operator: string;
  let twoProvinces: string;
  let auditor: string;
  let sijunjungProgram: { id: string; name: string };
  let muaraEnimProgram: string;
  /** Covered in Sijunjung; then living in Embawang, Muara Enim. */
  const covered: SyntheticPerson[] = [];
  let coveredParticipant: string;
  const people = createPeopleGenerator({ seed: 5_150, today: todayWib() });

  const movedTo = (person: SyntheticPerson, villageCode: string) => ({ ...proposal(person), villageCode });

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    sijunjungAdmin = await ledger.token('program_admin', [SIJUNJUNG], 'admin-sijunjung');
    muaraEnimAdmin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    twoProvinces = await ledger.token('program_admin', ['13', '16'], 'admin-sumatra');
    auditor = await ledger.token('auditor', ['ID'], 'auditor-nasional');

    const name = 'Perlindungan Pekerja Rentan Sijunjung';
    const a = await ledger.post(
      '/api/programs',
      sijunjungAdmin,
      programBody({ name, ownerRegion: SIJUNJUNG, payer: 'Pemerintah Kabupaten Sijunjung' }),
    );
    expect(a.status).toBe(201);
    sijunjungProgram = { id: a.body.programId, name };
    for (let i = 0; i < 3; i++) {
      const person = people.next({ villageCode: TIMBULUN, maxAge: 50 });
      const response = await ledger.post(
        `/api/programs/${sijunjungProgram.id}/enrollments`,
        sijunjungAdmin,
        proposal(person),
      );
      expect(response.status).toBe(201);
      if (i === 0) coveredParticipant = response.body.participantId;
      covered.push(person);
    }
    const b = await ledger.post('/api/programs', muaraEnimAdmin, programBody({ quota: 1 }));
    expect(b.status).toBe(201);
    muaraEnimProgram = b.body.programId;
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const probes = async (token: number) => {
    const response = await ledger.get(`/api/coverage-probes?consistentWith=${token}`, auditor);
    expect(response.status).toBe(200);
    return response.body.actors as {
      actorId: string;
      niks: number;
      requests: number;
      lastMaskedNik: string;
    }[];
  };

  /** Every recorded event: none may hold a NIK of these people in plain text. */
  const logText = async () => JSON.stringify(await ledger.runtime.store.readAll({ maxCount: 100_000 }));

  it("a caller outside the covering program's scope gets a neutral 409, and the attempt is recorded", async () => {
    const [person] = covered;
    const refused = await ledger.post(
      `/api/programs/${muaraEnimProgram}/enrollments`,
      operator,
      movedTo(person, EMBAWANG),
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      rule: 'participant.alreadyCovered',
      title: COVERED_ELSEWHERE_MESSAGE,
      errors: [{ field: 'nik', rule: 'participant.alreadyCovered', message: COVERED_ELSEWHERE_MESSAGE }],
    });
    for (const secret of [sijunjungProgram.id, sijunjungProgram.name, 'Sijunjung', person.nik]) {
      expect(refused.text).not.toContain(secret);
    }

    const head = await ledger.runtime.store.headPosition();
    expect(await probes(head)).toEqual([
      expect.objectContaining({
        actorId: 'operator-embawang',
        niks: 1,
        requests: 1,
        lastMaskedNik: maskNik(person.nik),
      }),
    ]);
    const [event] = (await ledger.runtime.store.readAll({ types: ['OutOfScopeCoverageRefused'] })).slice(-1);
    expect(event).toMatchObject({
      data: {
        programId: muaraEnimProgram,
        importId: null,
        rows: [{ key: 1, maskedNik: maskNik(person.nik) }],
      },
      metadata: {
        actor: { id: 'operator-embawang', role: 'village_operator' },
        occurredAt: expect.any(String),
      },
    });
    expect(event.streamId).not.toContain('operator-embawang');
    expect(await logText()).not.toContain(person.nik);
  });

  it('a caller whose scope reaches the covering program is told which program, and nothing is recorded', async () => {
    const before = await probes(await ledger.runtime.store.headPosition());
    const refused = await ledger.post(
      `/api/programs/${muaraEnimProgram}/enrollments`,
      twoProvinces,
      movedTo(covered[1], PAGAR_DEWA),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('participant.alreadyCovered');
    expect(refused.body.title).toContain(sijunjungProgram.id);
    expect(refused.body.title).toContain(sijunjungProgram.name);
    expect(await probes(await ledger.runtime.store.headPosition())).toEqual(before);
  });

  it('an import into a full program reports covered NIKs neutrally and records each of them', async () => {
    // The one seat taken first: the rest of the list meets a full program.
    const seat = await ledger.post(
      `/api/programs/${muaraEnimProgram}/enrollments`,
      operator,
      proposal(people.next({ villageCode: EMBAWANG, maxAge: 50 })),
    );
    expect(seat.status).toBe(201);
    const fresh = people.next({ villageCode: PAGAR_DEWA, maxAge: 50 });
    const rows = [
      nominationRow({ ...covered[1], villageCode: PAGAR_DEWA }),
      nominationRow({ ...covered[2], villageCode: EMBAWANG }),
      nominationRow(fresh),
    ];
    const imported = await ledger.post(
      `/api/programs/${muaraEnimProgram}/enrollments/import`,
      muaraEnimAdmin,
      nominationCsv(rows),
      { 'content-type': 'text/csv', 'x-file-name': 'usulan-penuh.csv' },
    );
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ total: 3, accepted: 0, rejected: 3 });
    const token = imported.body.consistencyToken as number;

    const report = await ledger.get(
      `/api/imports/${imported.body.importId}/report?format=json&consistentWith=${token}`,
      muaraEnimAdmin,
    );
    expect(report.status).toBe(200);
    expect(
      report.body.rows.map((r: { reasons: { rule: string; message: string }[] }) => r.reasons[0]),
    ).toEqual([
      { field: 'nik', rule: 'participant.alreadyCovered', message: COVERED_ELSEWHERE_MESSAGE },
      { field: 'nik', rule: 'participant.alreadyCovered', message: COVERED_ELSEWHERE_MESSAGE },
      expect.objectContaining({ rule: 'enrollment.quota' }),
    ]);
    expect(report.text).not.toContain(sijunjungProgram.id);
    expect(report.text).not.toContain(sijunjungProgram.name);

    expect(await probes(token)).toContainEqual(
      expect.objectContaining({
        actorId: 'admin-muara-enim',
        niks: 2,
        requests: 1,
        lastMaskedNik: maskNik(covered[2].nik),
      }),
    );
    const [event] = (await ledger.runtime.store.readAll({ types: ['OutOfScopeCoverageRefused'] })).slice(-1);
    expect(event.data).toEqual({
      programId: muaraEnimProgram,
      importId: imported.body.importId,
      rows: [
        { key: 2, maskedNik: maskNik(covered[1].nik) },
        { key: 3, maskedNik: maskNik(covered[2].nik) },
      ],
    });
    const log = await logText();
    for (const person of [...covered, fresh]) expect(log).not.toContain(person.nik);
  });

  it('after the covered person is erased, the refusal stays neutral and is still recorded', async () => {
    const erased = await ledger.post(`/api/participants/${coveredParticipant}/erasure`, sijunjungAdmin, {});
    expect(erased.status).toBe(200);
    const refused = await ledger.post(
      `/api/programs/${muaraEnimProgram}/enrollments`,
      operator,
      movedTo(covered[0], EMBAWANG),
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      rule: 'participant.alreadyCovered',
      title: COVERED_ELSEWHERE_MESSAGE,
    });
    expect(refused.text).not.toContain(sijunjungProgram.id);
    expect(await probes(await ledger.runtime.store.headPosition())).toContainEqual(
      expect.objectContaining({ actorId: 'operator-embawang', niks: 2, requests: 2 }),
    );
  });

  it('only auditors read the record, and each only for actors inside their scope', async () => {
    const head = await ledger.runtime.store.headPosition();
    expect((await ledger.get(`/api/coverage-probes?consistentWith=${head}`, muaraEnimAdmin)).status).toBe(
      403,
    );
    const sijunjungAuditor = await ledger.token('auditor', [SIJUNJUNG], 'auditor-sijunjung');
    const response = await ledger.get(`/api/coverage-probes?consistentWith=${head}`, sijunjungAuditor);
    expect(response.status).toBe(200);
    expect(response.body.actors).toEqual([]);
    const muaraEnimAuditor = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    const ours = await ledger.get(`/api/coverage-probes?consistentWith=${head}`, muaraEnimAuditor);
    expect(ours.body.actors.map((a: { actorId: string }) => a.actorId).sort()).toEqual([
      'admin-muara-enim',
      'operator-embawang',
    ]);
  });
}

describe('SQLite e2e: no NIK oracle', () => oracleSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: no NIK oracle',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => oracleSuite('postgres'),
);
