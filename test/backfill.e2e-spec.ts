/**
 * Backfilling a past program over HTTP, once on SQLite and once on PostgreSQL: a program of
 * October–December 2025 established now (December 2026 or later) as a migration, its list
 * imported and approved with coverage from 2025-10-01, a death on 2025-11-15 reported late,
 * one coverage start corrected. The coverage report and the program summary agree with an
 * independent count on every date that matters, the history shows each fact with its marker
 * and who recorded it, and every refusal (no reason, a village operator, a date before the
 * period, a malformed reason) is a problem naming its rule that leaves the log head unchanged.
 */
import { randomBytes } from 'node:crypto';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addDays } from '@ledger/ledger/shared/dates';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { ledgerProjections } from '@ledger/read-models/projections';
import { tablesOf } from '@ledger/read-models/runner/projection';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  programBody,
  proposal,
} from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const DEATH = '2025-11-15';
const CORRECTED_START = '2025-10-15';

/** A multipart form with text fields before the file, as a browser form sends them. */
function multipartForm(fields: Record<string, string>, fileName: string, content: string) {
  const boundary = `----ledger-backfill-${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function backfillSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let operator: string;
  let auditor: string;
  let programId: string;
  let importId: string;
  let token = 0;
  /** What the ledger knew before the death was reported: a consistency token and an instant. */
  let beforeDeath = 0;
  let beforeDeathAt = '';
  const workers: SyntheticPerson[] = [];
  /** By worker: enrollment and participant ids once imported. */
  const enrolled: { enrollmentId: string; participantId: string }[] = [];

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    // Ages drawn as of the coverage start, where the age cap is checked.
    const people = createPeopleGenerator({ seed: 2_025, today: PERIOD.from });
    for (let i = 0; i < 5; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  const remember = (response: ApiResponse) => {
    token = Math.max(token, Number(response.body?.consistencyToken ?? 0));
    return response;
  };

  /** A refusal: the status and rule, and nothing written. */
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: problemType(rule),
    });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await head()).toBe(before);
    return response;
  }

  const pastProgram = (over: Record<string, unknown> = {}) => ({
    ...programBody({ name: 'Perlindungan Aparatur Desa Muara Enim 2025', period: PERIOD, quota: 10 }),
    // The program's own tolerance: the default.
    backfillToleranceDays: undefined,
    ...over,
  });
  const listCsv = () => nominationCsv(workers.map(nominationRow));
  const importUrl = (query: string) => `/api/programs/${programId}/enrollments/import?${query}`;

  it('establishing a program whose period has passed needs a backfill reason (422), a known one (400)', async () => {
    await refused(() => ledger.post('/api/programs', admin, pastProgram()), 422, 'backfill.reasonRequired');
    const malformed = await refused(
      () => ledger.post('/api/programs', admin, pastProgram({ backfillReason: 'lupa' })),
      400,
      'request.invalid',
    );
    expect(malformed.body.errors).toEqual([
      expect.objectContaining({ field: 'backfillReason', rule: 'isIn' }),
    ]);
  });

  it('is established as a migration; the marker is in the event', async () => {
    const response = remember(
      await ledger.post(
        '/api/programs',
        admin,
        pastProgram({ backfillReason: 'migration', backfillNote: 'Program 2025 dari Disnaker' }),
      ),
    );
    expect(response.status).toBe(201);
    programId = response.body.programId;
    const [established] = await ledger.runtime.store.readStream(`program-${programId}`);
    expect(established.data).toMatchObject({
      period: PERIOD,
      backfillToleranceDays: 7,
      backfill: { reason: 'migration', note: 'Program 2025 dari Disnaker' },
    });
  });

  it('the list of a past program: refused without a reason, by a village operator, before the period', async () => {
    const csv = listCsv();
    const send = (who: string, query: string) =>
      ledger.request('POST', importUrl(query), {
        token: who,
        payload: csv,
        headers: { 'content-type': 'text/csv' },
      });
    // As before, without a coverage start the program has ended: every row is refused, nothing proposed.
    const ended = await ledger.request('POST', importUrl(''), {
      token: admin,
      payload: nominationCsv(workers.slice(0, 2).map(nominationRow)),
      headers: { 'content-type': 'text/csv' },
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ accepted: 0, rejected: 2 });
    await refused(() => send(admin, 'coverageFrom=2025-10-01'), 422, 'backfill.reasonRequired');
    await refused(
      () => send(operator, 'coverageFrom=2025-10-01&backfillReason=migration'),
      403,
      'backfill.forbidden',
    );
    await refused(
      () => send(admin, 'coverageFrom=2025-09-30&backfillReason=migration'),
      422,
      'coverage.outsidePeriod',
    );
    const malformed = await refused(
      () => send(admin, 'coverageFrom=2025-10-01&backfillReason=lupa'),
      400,
      'request.invalid',
    );
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'backfillReason' })]);
  });

  it('is imported with its real coverage start and proposal day, given as form fields', async () => {
    // Another file than the refused one (the same file for the same program is the same import).
    const form = multipartForm(
      { coverageFrom: PERIOD.from, proposedOn: '2025-09-20', backfillReason: 'migration' },
      'usulan-2025.csv',
      `${listCsv()}\r\n`,
    );
    const response = remember(
      await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
        token: admin,
        payload: form.payload,
        headers: form.headers,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'completed', accepted: workers.length, rejected: 0 });
    importId = response.body.importId;
    // The enrollments in the list's order, as the import recorded them.
    const recorded = await ledger.runtime.store.readStream(`import-${importId}`);
    for (const event of recorded.filter((e) => e.type === 'NominationRowsRecorded')) {
      for (const row of (event.data as { rows: { enrollmentId: string }[] }).rows) {
        const [proposed] = await ledger.runtime.store.readStream(`enrollment-${row.enrollmentId}`);
        enrolled.push({
          enrollmentId: row.enrollmentId,
          participantId: (proposed.data as { participantId: string }).participantId,
        });
      }
    }
    expect(enrolled).toHaveLength(workers.length);
    const [proposed] = await ledger.runtime.store.readStream(`enrollment-${enrolled[0].enrollmentId}`);
    expect(proposed.data).toMatchObject({
      proposedOn: '2025-09-20',
      intendedCoverageFrom: PERIOD.from,
      backfill: { reason: 'migration', note: null },
    });
  });

  it('is approved as a whole from 2025-10-01; a start before the period or no reason changes nothing', async () => {
    const url = `/api/imports/${importId}/approval`;
    await refused(
      () => ledger.post(url, admin, { coverageFrom: PERIOD.from }),
      422,
      'backfill.reasonRequired',
    );
    await refused(
      () => ledger.post(url, admin, { coverageFrom: '2025-09-30', backfillReason: 'migration' }),
      422,
      'coverage.outsidePeriod',
    );
    await refused(
      () => ledger.post(url, operator, { coverageFrom: PERIOD.from, backfillReason: 'migration' }),
      403,
      'auth.role',
    );
    const approved = remember(
      await ledger.post(url, admin, {
        coverageFrom: PERIOD.from,
        approvedOn: '2025-09-28',
        backfillReason: 'migration',
      }),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ approved: workers.length, refused: [] });
  });

  it('a death on 2025-11-15 reported now: a late report, accepted after the period ended', async () => {
    const url = `/api/enrollments/${enrolled[0].enrollmentId}/deregistration`;
    const body = { reason: 'deceased', effectiveDate: DEATH, note: 'Laporan kepala desa' };
    await refused(() => ledger.post(url, admin, body), 422, 'backfill.reasonRequired');
    beforeDeath = token;
    // An instant strictly between the approval's recording and the death's.
    await new Promise((resolve) => setTimeout(resolve, 25));
    beforeDeathAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 25));
    const response = remember(await ledger.post(url, admin, { ...body, backfillReason: 'late_report' }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'deregistered' });
  });

  it('one coverage start is corrected; a correction before the period or by an operator changes nothing', async () => {
    const url = `/api/enrollments/${enrolled[1].enrollmentId}/correction`;
    const body = { coverageFrom: CORRECTED_START, reason: 'correction', note: 'Mulai bekerja 15 Oktober' };
    await refused(
      () => ledger.post(url, admin, { ...body, coverageFrom: '2025-09-30' }),
      422,
      'coverage.outsidePeriod',
    );
    await refused(() => ledger.post(url, operator, body), 403, 'auth.role');
    await refused(() => ledger.post(url, admin, { ...body, reason: 'lupa' }), 400, 'request.invalid');
    const response = remember(await ledger.post(url, admin, body));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'approved' });
  });

  /** Independent count: covered from 2025-10-01 (one from the corrected start), one until the death. */
  const expectedActive = (date: string) =>
    workers.filter((_, i) => {
      const from = i === 1 ? CORRECTED_START : PERIOD.from;
      const to = i === 0 ? DEATH : PERIOD.to;
      return from <= date && date <= to;
    }).length;
  const DATES = [
    '2025-09-30',
    PERIOD.from,
    addDays(CORRECTED_START, -1),
    CORRECTED_START,
    DEATH,
    addDays(DEATH, 1),
    PERIOD.to,
    addDays(PERIOD.to, 1),
  ];

  it('on every date, the coverage report and the program summary agree with the independent count', async () => {
    for (const date of DATES) {
      const coverage = await ledger.get(
        `/api/coverage?region=${MUARA_ENIM}&date=${date}&consistentWith=${token}`,
        admin,
      );
      const summary = await ledger.get(
        `/api/programs/${programId}/summary?date=${date}&consistentWith=${token}`,
        admin,
      );
      expect({ date, coverage: coverage.body.active, summary: summary.body.active }).toEqual({
        date,
        coverage: expectedActive(date),
        summary: expectedActive(date),
      });
    }
    const onDeath = await ledger.get(`/api/programs/${programId}/summary?date=${addDays(DEATH, 1)}`, admin);
    expect(onDeath.body).toMatchObject({ ended: 1, deregistrationsByReason: { deceased: 1 } });
  });

  /** Each worker's coverage as recorded now: the corrected start, the death. */
  const coverageOf = (i: number) => ({
    from: i === 1 ? CORRECTED_START : PERIOD.from,
    to: i === 0 ? DEATH : PERIOD.to,
  });
  const everyDay = (from: string, to: string) => {
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    return days;
  };
  /** The history's status of a worker's enrollment on `date` (`asOf`), as known at `knownAt`. */
  const historyStatus = async (i: number, date: string, knownAt?: number | string) => {
    const known = knownAt === undefined ? '' : `&knownAt=${encodeURIComponent(String(knownAt))}`;
    const history = await ledger.get(
      `/api/participants/${enrolled[i].participantId}/history?asOf=${date}${known}&consistentWith=${token}`,
      auditor,
    );
    expect(history.status).toBe(200);
    const [enrollment] = (history.body.asOf.enrollments as { enrollmentId: string; status: string }[]).filter(
      (e) => e.enrollmentId === enrolled[i].enrollmentId,
    );
    return enrollment?.status ?? 'none';
  };

  it('on every day of 2025 the coverage report, the program summary and the histories agree with each other and the count', async () => {
    for (const date of everyDay('2025-01-01', '2026-01-01')) {
      const coverage = await ledger.get(
        `/api/coverage?region=${MUARA_ENIM}&date=${date}&consistentWith=${token}`,
        admin,
      );
      const summary = await ledger.get(
        `/api/programs/${programId}/summary?date=${date}&consistentWith=${token}`,
        admin,
      );
      const expected = expectedActive(date);
      expect({ date, coverage: coverage.body.active, summary: summary.body.active }).toEqual({
        date,
        coverage: expected,
        summary: expected,
      });
      // The dead worker and the corrected one, by their own histories.
      for (const i of [0, 1]) {
        const { from, to } = coverageOf(i);
        const status = await historyStatus(i, date);
        expect({ date, i, status }).toEqual({
          date,
          i,
          status:
            date > to
              ? 'ended'
              : date >= from
                ? 'active'
                : date >= '2025-09-28' // approved on 2025-09-28
                  ? 'approved-not-yet-started'
                  : date >= '2025-09-20' // proposed on 2025-09-20
                    ? 'proposed'
                    : 'none',
        });
      }
    }
  }, 300_000);

  it('as the ledger knew it before the death was reported, every report still counts that worker on 2025-11-16', async () => {
    const day = addDays(DEATH, 1);
    expect(expectedActive(day)).toBe(workers.length - 1);
    for (const knownAt of [beforeDeath, beforeDeathAt]) {
      const at = `date=${day}&knownAt=${encodeURIComponent(String(knownAt))}`;
      const coverage = await ledger.get(`/api/coverage?region=${MUARA_ENIM}&${at}`, admin);
      const summary = await ledger.get(`/api/programs/${programId}/summary?${at}`, admin);
      expect(coverage.status).toBe(200);
      expect(summary.status).toBe(200);
      expect({ coverage: coverage.body.active, summary: summary.body.active }).toEqual({
        coverage: workers.length,
        summary: workers.length,
      });
      expect(coverage.body.knownAt).toBe(beforeDeath);
      expect(summary.body.knownAt).toBe(beforeDeath);
      expect(await historyStatus(0, day, knownAt)).toBe('active');
      // Nor was the correction known then: the corrected worker counts from 2025-10-01.
      expect(await historyStatus(1, PERIOD.from, knownAt)).toBe('active');
    }
    // Known now: the death and the correction.
    expect(await historyStatus(0, day)).toBe('ended');
    expect(await historyStatus(1, PERIOD.from)).toBe('approved-not-yet-started');
  });

  it('the history shows the original, the correction with who made it, and each backfill marker', async () => {
    const history = await ledger.get(
      `/api/participants/${enrolled[1].participantId}/history?consistentWith=${token}`,
      auditor,
    );
    expect(history.status).toBe(200);
    const events = history.body.events as {
      type: string;
      actor: unknown;
      details: Record<string, unknown>;
    }[];
    const approval = events.find((e) => e.type === 'EnrollmentApproved')!;
    expect(approval.details).toMatchObject({
      coverageFrom: PERIOD.from,
      approvedOn: '2025-09-28',
      backfill: { reason: 'migration' },
    });
    const correction = events.find((e) => e.type === 'EnrollmentCorrected')!;
    expect(correction).toMatchObject({
      actor: { id: 'admin-muara-enim', role: 'program_admin' },
      details: {
        previous: { coverageFrom: PERIOD.from, endedOn: null },
        coverageFrom: CORRECTED_START,
        endedOn: null,
        reason: 'correction',
        note: 'Mulai bekerja 15 Oktober',
        backfill: { reason: 'correction', note: 'Mulai bekerja 15 Oktober' },
      },
    });
    const dead = await ledger.get(
      `/api/participants/${enrolled[0].participantId}/history?consistentWith=${token}`,
      auditor,
    );
    const death = (dead.body.events as { type: string; details: Record<string, unknown> }[]).find(
      (e) => e.type === 'EnrollmentDeregistered',
    )!;
    expect(death.details).toMatchObject({
      reason: 'deceased',
      effectiveDate: DEATH,
      backfill: { reason: 'late_report', note: null },
    });
  });

  it('one coverage per NIK: the dead worker cannot be covered again on or before the last day', async () => {
    const second = remember(
      await ledger.post('/api/programs', admin, {
        ...pastProgram({
          name: 'Perlindungan Pekerja Rentan Muara Enim Nov 2025',
          backfillReason: 'migration',
        }),
        period: { from: '2025-11-01', to: '2025-12-31' },
      }),
    );
    expect(second.status).toBe(201);
    const url = `/api/programs/${second.body.programId}/enrollments`;
    const body = { ...proposal(workers[0]), backfillReason: 'late_report' };
    const overlap = await refused(
      () => ledger.post(url, admin, { ...body, coverageFrom: DEATH }),
      409,
      'nik.coverageOverlap',
    );
    expect(overlap.text).not.toContain(workers[0].nik);
    const after = await ledger.post(url, admin, { ...body, coverageFrom: addDays(DEATH, 1) });
    expect(after.status).toBe(201);
    // The approval holds the same rule.
    await refused(
      () =>
        ledger.post(`/api/enrollments/${after.body.enrollmentId}/approval`, admin, {
          coverageFrom: DEATH,
          backfillReason: 'late_report',
        }),
      409,
      'nik.coverageOverlap',
    );
  });

  it('rebuilding the read models the corrections and backfills feed gives back the live rows', async () => {
    const names = ['coverage', 'coverage_known', 'enrollments', 'enrollment_versions', 'audit_trail'];
    expect(await ledger.runtime.runner.waitFor(names, await head(), 30_000)).toBe(true);
    const projections = ledgerProjections().filter((p) => names.includes(p.name));
    const rows = async () => {
      const out: Record<string, unknown[]> = {};
      for (const spec of projections.flatMap(tablesOf)) {
        let query = ledger.runtime.read.query.selectFrom(spec.name).selectAll();
        for (const column of spec.primaryKey) query = query.orderBy(column);
        out[spec.name] = await query.execute();
      }
      return out;
    };
    // A correction undoing a start in a later batch leaves a key whose deltas sum to 0 (a
    // rebuild sums them in one batch and writes none): the same coverage on every day.
    const nonZero = (rows: unknown[]) => rows.filter((r) => Number((r as { delta: number }).delta) !== 0);
    const counted = (all: Record<string, unknown[]>) => ({
      ...all,
      coverage_deltas: nonZero(all.coverage_deltas),
      coverage_known: nonZero(all.coverage_known),
    });
    const live = counted(await rows());
    expect(live.coverage_deltas.length).toBeGreaterThan(0);
    for (const name of names) await ledger.runtime.runner.rebuild(name);
    expect(counted(await rows())).toEqual(live);
  }, 120_000);
}

describe('SQLite e2e: backfill of a past program', () => backfillSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: backfill of a past program',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => backfillSuite('postgres'),
);
