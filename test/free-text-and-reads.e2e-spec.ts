/**
 * Over HTTP through the real app, on SQLite and PostgreSQL: free text of every command refuses
 * NIK-shaped numbers (they would sit in the immutable log) with a 400 naming the field; a
 * deceased participant reads as deceased; the national level is a region; baselines answer
 * camelCase, and a baseline without its required field says which one; quota use never shows
 * 100% while a seat is free.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
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
  programBody,
  proposal,
} from './support/ledger-fixtures';

const directory = regions();
const NIK_TEXTS = ['NIK 1603015708900001 salah', 'nik: 1603 0157 0890 0001', 'lihat 1603-0157-0890-0001.'];

function expectInvalid(response: ApiResponse, field: string, rule: string) {
  expect(response.status).toBe(400);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.body.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ field, rule, message: expect.stringContaining(field) }),
    ]),
  );
}

function suite(mode: LedgerMode) {
  let app: LedgerApp;
  let admin: string;
  let programId: string;
  const today = todayWib();
  const people = createPeopleGenerator({ seed: 9009, today, regions: directory });

  const waitForReadModels = async () => {
    const head = await app.runtime.store.headPosition();
    const names = (await app.runtime.runner.status()).map((s) => s.name);
    expect(await app.runtime.runner.waitFor(names, head, 30_000)).toBe(true);
  };

  const enrolled = async (approve: boolean) => {
    const proposed = await app.post(
      `/api/programs/${programId}/enrollments`,
      admin,
      proposal(people.next({ villageCode: EMBAWANG })),
    );
    expect(proposed.status).toBe(201);
    if (approve) {
      const approved = await app.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom: today,
      });
      expect(approved.status).toBe(200);
    }
    return proposed.body as { enrollmentId: string; participantId: string };
  };

  beforeAll(async () => {
    app = await startLedgerApp(mode);
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-free-text');
    const created = await app.post('/api/programs', admin, programBody({ quota: 1000 }));
    expect(created.status).toBe(201);
    programId = created.body.programId;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a NIK-shaped number in every free-text field, naming the field, and writes nothing', async () => {
    const proposed = await enrolled(false);
    const approved = await enrolled(true);
    const before = await app.runtime.store.headPosition();
    const cases: [string, string, (text: string) => object, string][] = [
      ['POST', '/api/programs', (text) => programBody({ name: `Program ${text}` }), 'name'],
      ['POST', '/api/programs', (text) => programBody({ payer: `Pemkab ${text}` }), 'payer'],
      ['POST', `/api/programs/${programId}/quota`, (text) => ({ quota: 1001, reason: text }), 'reason'],
      [
        'POST',
        `/api/programs/${programId}/period`,
        (text) => ({
          from: `${today.slice(0, 4)}-01-01`,
          to: `${Number(today.slice(0, 4)) + 1}-12-31`,
          reason: text,
        }),
        'reason',
      ],
      ['POST', `/api/programs/${programId}/closure`, (text) => ({ closedOn: today, reason: text }), 'reason'],
      ['POST', `/api/enrollments/${proposed.enrollmentId}/rejection`, (text) => ({ reason: text }), 'reason'],
      [
        'POST',
        `/api/enrollments/${approved.enrollmentId}/deregistration`,
        (text) => ({ reason: 'moved_away', effectiveDate: today, note: text }),
        'note',
      ],
      ['POST', `/api/participants/${proposed.participantId}/erasure`, (text) => ({ reason: text }), 'reason'],
      [
        'PUT',
        `/api/regions/${MUARA_ENIM}/baselines/2026`,
        (text) => ({ workingPopulation: 1000, source: `BPS ${text}` }),
        'source',
      ],
    ];
    for (const [method, url, body, field] of cases) {
      for (const text of NIK_TEXTS) {
        const response = await app.request(method as 'POST' | 'PUT', url, {
          token: admin,
          payload: body(text),
        });
        expectInvalid(response, field, 'noNik');
        // The refusal does not repeat the number either.
        expect(response.text).not.toContain('1603015708900001');
      }
    }
    expect(await app.runtime.store.headPosition()).toBe(before);
    // Numbers that are not NIK-shaped pass: a decree number, a 15- and a 17-digit run.
    const rejected = await app.post(`/api/enrollments/${proposed.enrollmentId}/rejection`, admin, {
      reason: 'SK 123/2026; rekening 123456789012345; 12345678901234567',
    });
    expect(rejected.status).toBe(200);
  });

  it('a participant deregistered for death reads as deceased, with the day, also in the history', async () => {
    const { enrollmentId, participantId } = await enrolled(true);
    const deregistered = await app.post(`/api/enrollments/${enrollmentId}/deregistration`, admin, {
      reason: 'deceased',
      effectiveDate: today,
    });
    expect(deregistered.status).toBe(200);
    const read = await app.get(
      `/api/participants/${participantId}?consistentWith=${deregistered.body.consistencyToken}`,
      admin,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'deceased', deceasedOn: today });
    const history = await app.get(`/api/participants/${participantId}/history`, admin);
    expect(history.body.participant).toMatchObject({ status: 'deceased', deceasedOn: today });
    // Another end of coverage leaves the person active.
    const moved = await enrolled(true);
    const ended = await app.post(`/api/enrollments/${moved.enrollmentId}/deregistration`, admin, {
      reason: 'moved_away',
      effectiveDate: today,
    });
    const other = await app.get(
      `/api/participants/${moved.participantId}?consistentWith=${ended.body.consistencyToken}`,
      admin,
    );
    expect(other.body.status).toBe('active');
    expect(other.body).not.toHaveProperty('deceasedOn');
  });

  it('GET /api/regions/ID answers the national level', async () => {
    const national = await app.get('/api/regions/ID', admin);
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({
      code: 'ID',
      name: 'Indonesia',
      level: 'national',
      parents: [],
      childrenCount: directory.children('ID').length,
    });
    expect(national.body.childrenCount).toBeGreaterThanOrEqual(34);
    expect((await app.get('/api/regions/XX', admin)).status).toBe(404);
  });

  it('a baseline with only the vulnerable-worker count says workingPopulation is required, nothing else', async () => {
    const response = await app.put(`/api/regions/${MUARA_ENIM}/baselines/2027`, admin, {
      vulnerableWorkers: 48_838,
      source: 'BPS Sakernas Agustus 2025',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'workingPopulation', rule: 'required', message: 'workingPopulation wajib diisi' },
    ]);
    const set = await app.put(`/api/regions/${MUARA_ENIM}/baselines/2027`, admin, {
      workingPopulation: 93_000,
      vulnerableWorkers: 48_838,
      source: 'BPS Sakernas Agustus 2025',
    });
    expect(set.status).toBe(200);
    const read = await app.get(
      `/api/regions/${MUARA_ENIM}/baselines?consistentWith=${set.body.consistencyToken}`,
      admin,
    );
    expect(read.body.baselines).toEqual([
      {
        regionCode: MUARA_ENIM,
        year: 2027,
        workingPopulation: 93_000,
        informalWorkers: null,
        vulnerableWorkers: 48_838,
        source: 'BPS Sakernas Agustus 2025',
        setBy: 'admin-free-text',
        setAt: expect.any(String),
      },
    ]);
  });

  if (mode === 'sqlite') {
    it('quota use of 19,999 seats of 20,000 is 99.99%, not 100%', async () => {
      const big = await app.post(
        '/api/programs',
        admin,
        programBody({ name: 'Program Kuota Besar', quota: 20_000 }),
      );
      expect(big.status).toBe(201);
      const villages = directory.villagesOf(MUARA_ENIM);
      const rows = Array.from({ length: 19_999 }, (_, i) =>
        nominationRow(people.next({ villageCode: villages[i % villages.length] })),
      );
      const imported = await app.request('POST', `/api/programs/${big.body.programId}/enrollments/import`, {
        token: admin,
        payload: nominationCsv(rows),
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ accepted: 19_999 });
      await waitForReadModels();
      const summary = await app.get(`/api/programs/${big.body.programId}/summary?date=${today}`, admin);
      expect(summary.body.quotaUse).toEqual({ seats: 19_999, percent: 99.99 });
      const program = await app.get(`/api/programs/${big.body.programId}`, admin);
      expect(program.body).toMatchObject({ quota: 20_000, seatsInUse: 19_999 });
    }, 300_000);
  }
}

describe('SQLite e2e: free text and reads', () => suite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: free text and reads',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite('postgres'),
);
