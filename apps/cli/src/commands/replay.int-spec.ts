import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { eraseParticipant } from '@ledger/ledger/participants/erase/erase.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { commandContext, type CommandContext } from '@ledger/ledger/shared/command.deps';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { defaults, depsOf } from '../seed/seed-ledger';
import type { ParticipantReplay } from './replay';

const ROOT = join(__dirname, '..', '..', '..', '..');
const EMBAWANG = '1603012011';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run cli -- replay …`, without npm in between, in a process of its own. */
function cli(args: string[], dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', LEDGER_DATA_DIR: dataDir };
  delete env.LEDGER_STORE;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './scripts/register.js', 'apps/cli/src/main.ts', 'replay', ...args],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('cli replay participant', () => {
  let dir: string;
  const today = todayInIndonesia(new Date());
  const next = Number(today.slice(0, 4)) + 1;
  let worker: SyntheticPerson;
  let erasedWorker: SyntheticPerson;
  let participantId: string;
  let erasedId: string;
  let enrollments: string[];
  let expected: [number, string][];

  const ctx = (role: string, step: string): CommandContext =>
    commandContext(
      { id: `${role}-replay`, role, region: role === 'village_operator' ? EMBAWANG : '1603' },
      { correlationId: `corr-${step}` },
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-replay-'));
    const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      projections: ledgerProjections(),
    });
    try {
      const deps = depsOf(runtime);
      const people = createPeopleGenerator({ seed: 4_242, today });
      worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      erasedWorker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const program = (name: string, from: string, to: string) =>
        establishProgram(deps, ctx('program_admin', `establish-${name}`), {
          ...defaults,
          name,
          ownerRegion: '1603',
          payer: 'Pemerintah Kabupaten Muara Enim',
          period: { from, to },
          quota: 10,
          // Program A started on 1 January: recorded later without being a backfill.
          backfillToleranceDays: 730,
        });
      const propose = async (programId: string, who: SyntheticPerson, step: string) => {
        const { outcomes } = await proposeNominations(deps, ctx('village_operator', step), programId, [
          { key: 1, values: who, problems: [] },
        ]);
        expect(outcomes[0]).toMatchObject({ status: 'accepted' });
        return outcomes[0] as { enrollmentId: string; participantId: string };
      };

      const a = (await program('Program Replay A', `${next - 1}-01-01`, `${next}-12-31`)).programId;
      const first = await propose(a, worker, 'propose-a');
      participantId = first.participantId;
      await approveEnrollment(deps, ctx('program_admin', 'approve-a'), first.enrollmentId, `${next}-02-01`);
      await deregisterEnrollment(deps, ctx('program_admin', 'deregister-a'), first.enrollmentId, {
        reason: 'moved_away',
        note: 'Pindah ke Palembang',
        effectiveDate: `${next}-03-31`,
      });
      // The read model knows the first enrollment; the second one only the log does.
      await runtime.runner.catchUp();
      const b = (await program('Program Replay B', `${next}-04-01`, `${next}-12-31`)).programId;
      const second = await propose(b, worker, 'propose-b');
      await approveEnrollment(deps, ctx('program_admin', 'approve-b'), second.enrollmentId, `${next}-04-01`);
      enrollments = [first.enrollmentId, second.enrollmentId];

      erasedId = (await propose(a, erasedWorker, 'propose-erased')).participantId;
      await eraseParticipant(deps, ctx('program_admin', 'erase'), erasedId, 'Permintaan subjek data');

      // Independently of the replay: every event in the log that names the person.
      expected = (await runtime.store.readAll({ maxCount: 100_000 }))
        .filter((e) => (e.data as { participantId?: string }).participantId === participantId)
        .map((e) => [e.position, e.type]);
    } finally {
      await runtime.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the timeline from the event store with positions, actors, correlation ids and the opened personal data', async () => {
    const run = await cli(['participant', participantId], dir);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const out = run.stdout;
    expect(out).toContain(`Peserta ${participantId}`);
    expect(out).toContain(`NIK             : ${worker.nik}`);
    expect(out).toContain(`Nama            : ${worker.name}`);
    expect(out).toContain(`Tanggal lahir   : ${worker.birthDate}`);
    const timeline = out.split('\n').filter((line) => /^ {2}#\d+ /.test(line));
    expect(timeline.map((line) => [Number(line.match(/#(\d+)/)![1]), line.match(/\((\w+)\)$/)![1]])).toEqual(
      expected,
    );
    expect(expected.map(([, type]) => type)).toEqual([
      'ParticipantRegistered',
      'CoverageClaimed',
      'EnrollmentProposed',
      'EnrollmentApproved',
      'EnrollmentDeregistered',
      'CoverageReleased',
      'CoverageClaimed',
      'EnrollmentProposed',
      'EnrollmentApproved',
    ]);
    for (const step of ['propose-a', 'approve-a', 'deregister-a', 'propose-b', 'approve-b'])
      expect(out).toContain(`korelasi corr-${step}`);
    expect(out).toContain('aktor village_operator-replay (village_operator)');
    expect(out).toContain('aktor program_admin-replay (program_admin)');
    expect(out).toContain('Disetujui (EnrollmentApproved)');
    expect(out).toContain('note=Pindah ke Palembang');
    expect(out).toContain(`effectiveDate=${next}-03-31`);
    for (const id of enrollments) expect(out).toContain(id);
    expect(out).toContain('Program Replay B');
    // The NIK registry's stream is shown without the NIK's HMAC.
    expect(out).toContain('stream nik-*');
    expect(out).not.toMatch(/[0-9a-f]{64}/);
    expect(out).not.toContain('Keadaan per');
  });

  it('--as-of prints the state on that day (and --json the same as data)', async () => {
    const human = await cli(['participant', participantId, '--as-of', `${next}-03-15`], dir);
    expect(human.code).toBe(0);
    const state = human.stdout.slice(human.stdout.indexOf(`Keadaan per ${next}-03-15`));
    expect(state).toContain(
      `${enrollments[0]}  Program Replay A  aktif (active)  perlindungan ${next}-02-01 s.d. ${next}-03-31`,
    );
    expect(state).toContain(
      `${enrollments[1]}  Program Replay B  disetujui, belum mulai (approved-not-yet-started)  perlindungan ${next}-04-01 s.d. ${next}-12-31`,
    );

    const run = await cli(['participant', participantId, '--json', `--as-of=${next}-04-01`], dir);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const replay = JSON.parse(run.stdout) as ParticipantReplay;
    expect(replay.participant).toMatchObject({
      id: participantId,
      status: 'active',
      personal: { nik: worker.nik, name: worker.name },
    });
    expect(replay.events.map((e) => [e.position, e.type])).toEqual(expected);
    expect(replay.events[3]).toMatchObject({
      actor: { id: 'program_admin-replay', role: 'program_admin' },
      correlationId: 'corr-approve-a',
      causationId: 'corr-approve-a',
    });
    expect(replay.enrollments.map((e) => [e.enrollmentId, e.status])).toEqual([
      [enrollments[0], 'deregistered'],
      [enrollments[1], 'approved'],
    ]);
    expect(replay.asOf).toEqual({
      date: `${next}-04-01`,
      enrollments: [
        {
          enrollmentId: enrollments[0],
          programId: expect.any(String),
          programName: 'Program Replay A',
          status: 'ended',
          coverage: { from: `${next}-02-01`, to: `${next}-03-31` },
        },
        {
          enrollmentId: enrollments[1],
          programId: expect.any(String),
          programName: 'Program Replay B',
          status: 'active',
          coverage: { from: `${next}-04-01`, to: `${next}-12-31` },
        },
      ],
    });

    const before = JSON.parse(
      (await cli(['participant', participantId, '--json', '--as-of', `${next - 2}-12-31`], dir)).stdout,
    ) as ParticipantReplay;
    expect(before.asOf!.enrollments.map((e) => [e.status, e.coverage])).toEqual([
      ['none', null],
      ['none', null],
    ]);
  });

  it('--known-at: the events up to that position only, the state as of a day from them', async () => {
    const approvedAt = expected.find(([, type]) => type === 'EnrollmentApproved')![0];
    const run = await cli(
      ['participant', participantId, '--json', '--as-of', `${next}-04-01`, '--known-at', String(approvedAt)],
      dir,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const replay = JSON.parse(run.stdout) as ParticipantReplay;
    expect(replay.knownAt).toBe(approvedAt);
    expect(replay.events.map((e) => [e.position, e.type])).toEqual(expected.filter(([p]) => p <= approvedAt));
    // The deregistration was not recorded yet: the coverage ran on to the program's end.
    expect(replay.asOf!.enrollments).toEqual([
      expect.objectContaining({ status: 'active', coverage: { from: `${next}-02-01`, to: `${next}-12-31` } }),
    ]);
    const human = await cli(
      ['participant', participantId, '--as-of', `${next}-04-01`, '--known-at', String(approvedAt)],
      dir,
    );
    expect(human.stdout).toContain(
      `Keadaan per ${next}-04-01 (tanggal berlaku, menurut log s.d. posisi ${approvedAt})`,
    );
    for (const value of ['kemarin', '999999999']) {
      const bad = await cli(['participant', participantId, '--known-at', value], dir);
      expect({ value, code: bad.code, stdout: bad.stdout }).toEqual({ value, code: 2, stdout: '' });
      expect(bad.stderr).toMatch(/^ledger: --known-at: [^\n]+\n$/);
    }
  });

  it('an erased participant: DIHAPUS (erased) instead of the personal data, the events remain', async () => {
    const run = await cli(['participant', erasedId], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Status          : DIHAPUS (erased)');
    expect(run.stdout).toContain('NIK             : DIHAPUS (erased)');
    expect(run.stdout).toContain('Data pribadi dihapus (ParticipantErased)');
    expect(run.stdout).toContain('reason=Permintaan subjek data');
    expect(run.stdout).not.toContain(erasedWorker.nik);
    expect(run.stdout).not.toContain(erasedWorker.name);
  });

  it('an unknown participant is exit 1 with one line; usage mistakes are exit 2 with one line', async () => {
    const unknown = await cli(['participant', randomUUID()], dir);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^ledger: peserta [0-9a-f-]{36} tidak ditemukan[^\n]*\n$/);
    for (const args of [
      ['participant', 'bukan-uuid'],
      ['participant', participantId, '--as-of', `${next}-02-30`],
      ['participant'],
      ['program', participantId],
      ['participant', participantId, '--verbose'],
    ]) {
      const run = await cli(args, dir);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^ledger: [^\n]+\n$/);
    }
  });
});
