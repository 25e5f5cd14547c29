/**
 * `knownAt` on the program summary and the participant history over HTTP, once on SQLite and
 * once on PostgreSQL: as the ledger knew it at a write's consistency token, at an instant or
 * at the end of a day; the resolved log position echoed; the program's terms as known then;
 * bad values refused with 400 naming `knownAt`; both routes declare it in the OpenAPI document.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectRefused(response: ApiResponse, rule: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({
    status: 400,
    type: problemType('request.invalid'),
  });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.errors).toEqual([{ field: 'knownAt', rule, message: expect.any(String) }]);
}

function suite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let operator: string;
  let auditor: string;
  const today = todayWib();
  const next = Number(today.slice(0, 4)) + 1;
  let programId: string;
  let participantId: string;
  /** Consistency tokens: after the approval and rejection, after the deregistration, after the closure. */
  let approvedAt: number;
  let deregisteredAt: number;
  let closedAt: number;

  async function ok(url: string, who: string, body: unknown, status = 200) {
    const response = await ledger.post(url, who, body);
    expect({ url, status: response.status }).toEqual({ url, status });
    return response.body;
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    const people = createPeopleGenerator({ seed: 12_003, today });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    programId = (
      await ok(
        '/api/programs',
        admin,
        programBody({
          name: 'Program knownAt',
          period: { from: `${today.slice(0, 4)}-01-01`, to: `${next}-12-31` },
          quota: 10,
        }),
        201,
      )
    ).programId;
    const worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    const first = await ok(`/api/programs/${programId}/enrollments`, operator, proposal(worker), 201);
    participantId = first.participantId;
    await ok(`/api/enrollments/${first.enrollmentId}/approval`, admin, { coverageFrom: `${next}-02-01` });
    const other = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    const second = await ok(`/api/programs/${programId}/enrollments`, operator, proposal(other), 201);
    approvedAt = (
      await ok(`/api/enrollments/${second.enrollmentId}/rejection`, admin, { reason: 'data ganda' })
    ).consistencyToken;
    deregisteredAt = (
      await ok(`/api/enrollments/${first.enrollmentId}/deregistration`, admin, {
        reason: 'moved_away',
        effectiveDate: `${next}-03-31`,
      })
    ).consistencyToken;
    closedAt = (await ok(`/api/programs/${programId}/closure`, admin, { closedOn: `${next}-10-31` }, 201))
      .consistencyToken;
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const summary = (query: string) => ledger.get(`/api/programs/${programId}/summary?${query}`, admin);
  const history = (query: string) =>
    ledger.get(`/api/participants/${participantId}/history?${query}`, auditor);

  it('the summary as known at each token: the coverage ran past its last day until the deregistration was recorded', async () => {
    const date = `${next}-04-01`;
    const before = await summary(`date=${date}&knownAt=${approvedAt}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      date,
      knownAt: approvedAt,
      period: { end: `${next}-12-31` },
      proposed: 2,
      rejected: 1,
      approved: 1,
      active: 1,
      ended: 0,
      deregistrationsByReason: {},
    });
    const after = await summary(`date=${date}&knownAt=${deregisteredAt}`);
    expect(after.body).toMatchObject({
      knownAt: deregisteredAt,
      period: { end: `${next}-12-31` },
      active: 0,
      ended: 1,
      deregistrationsByReason: { moved_away: 1 },
    });
    // The closure is known from its own token on: the program's terms as known then.
    expect((await summary(`date=${date}&knownAt=${closedAt}`)).body.period).toEqual({
      from: `${today.slice(0, 4)}-01-01`,
      end: `${next}-10-31`,
    });
    // Without knownAt: the ledger as it is now, no knownAt in the answer.
    const now = await summary(`date=${date}&consistentWith=${closedAt}`);
    expect(now.body).not.toHaveProperty('knownAt');
    const { knownAt: _position, ...atHead } = (await summary(`date=${date}&knownAt=${closedAt}`)).body;
    expect(atHead).toEqual(now.body);
  });

  it('the history as known at each token: only the events up to it, the coverage on asOf from them', async () => {
    const asOf = `${next}-04-01`;
    const before = await history(`asOf=${asOf}&knownAt=${approvedAt}`);
    expect(before.status).toBe(200);
    expect(before.body.knownAt).toBe(approvedAt);
    expect(before.body.events.every((e: { position: number }) => e.position <= approvedAt)).toBe(true);
    expect(before.body.events.map((e: { type: string }) => e.type)).not.toContain('EnrollmentDeregistered');
    expect(before.body.asOf.enrollments).toEqual([
      expect.objectContaining({ status: 'active', coverage: { from: `${next}-02-01`, to: `${next}-12-31` } }),
    ]);
    const after = await history(`asOf=${asOf}&knownAt=${deregisteredAt}`);
    expect(after.body.asOf.enrollments).toEqual([
      expect.objectContaining({ status: 'ended', coverage: { from: `${next}-02-01`, to: `${next}-03-31` } }),
    ]);
    expect(after.body.events.map((e: { type: string }) => e.type)).toContain('EnrollmentDeregistered');
    const now = await history(`asOf=${asOf}&consistentWith=${closedAt}`);
    expect(now.body).not.toHaveProperty('knownAt');
    expect(now.body.asOf).toEqual(after.body.asOf);
  });

  it('an instant or a day: the position of the last event recorded by then', async () => {
    // The end of today (WIB) is after every write of this suite.
    const endOfToday = await summary(`date=${next}-04-01&knownAt=${todayWib()}`);
    expect(endOfToday.status).toBe(200);
    expect(endOfToday.body.knownAt).toBeGreaterThanOrEqual(closedAt);
    const instant = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await history(`knownAt=${instant}`)).body.knownAt).toBeGreaterThanOrEqual(closedAt);
    // Before anything was recorded: neither the program nor the person was known.
    const long = await summary('knownAt=2000-01-01T00:00:00Z');
    expect({ status: long.status, type: long.body.type }).toEqual({
      status: 404,
      type: problemType('program.notFound'),
    });
    expect((await history('knownAt=2000-01-01')).status).toBe(404);
  });

  it('a bad knownAt is 400 naming it, on both routes', async () => {
    for (const get of [summary, history]) {
      for (const value of ['kemarin', `${next}-13-01`, '12abc', '2026-12-01T10:00:00', '-1']) {
        expectRefused(await get(`knownAt=${encodeURIComponent(value)}`), 'isKnownAt');
      }
      expectRefused(await get(`knownAt=${closedAt + 1_000_000}`), 'notYetRecorded');
    }
  });

  it('the OpenAPI document declares knownAt on both routes', async () => {
    const docs = await ledger.get('/docs-json');
    expect(docs.status).toBe(200);
    for (const path of ['/api/programs/{id}/summary', '/api/participants/{id}/history']) {
      const names = (docs.body.paths[path].get.parameters as { name: string }[]).map((p) => p.name);
      expect({ path, knownAt: names.includes('knownAt') }).toEqual({ path, knownAt: true });
    }
  });
}

describe('SQLite e2e: knownAt on the program summary and the participant history', () => suite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: knownAt on the program summary and the participant history',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite('postgres'),
);
