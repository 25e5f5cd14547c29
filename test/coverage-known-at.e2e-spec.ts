/**
 * `knownAt` on the coverage reports over HTTP (GET /api/coverage, /api/coverage/series,
 * /api/rankings, JSON and CSV), once on SQLite and once on PostgreSQL: a bad value is a 400
 * naming `knownAt`; a good one is echoed as the position it resolved to; at the log's head the
 * answer is the one without `knownAt`; and after a deregistration, `knownAt` just before it
 * still gives the answer the ledger gave then.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { buildCoverageLedger, MUARA_ENIM, settle, type CoverageModel } from './support/coverage-ledger';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectKnownAtRefused(response: ApiResponse, rule: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({
    status: 400,
    type: problemType('request.invalid'),
  });
  expect(response.body.errors).toEqual([expect.objectContaining({ field: 'knownAt', rule })]);
}

/** The answer without the echo, to compare with one asked without `knownAt`. */
const withoutEcho = (body: Record<string, unknown>) => {
  const { knownAt: _echo, ...rest } = body;
  return rest;
};

function knownAtSuite(mode: LedgerMode) {
  return () => {
    let ledger: LedgerApp;
    let model: CoverageModel;
    let viewer: string;
    let admin: string;
    const today = todayWib();

    beforeAll(async () => {
      ledger = await startLedgerApp(mode);
      model = await buildCoverageLedger(ledger.runtime);
      await settle(ledger.runtime, model.lastToken);
      viewer = await ledger.token('viewer', ['ID'], 'viewer-national');
      admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    }, 60_000);
    afterAll(async () => {
      await ledger?.close();
    });

    const get = async (url: string) => ledger.get(url, viewer);
    const ok = async (url: string) => {
      const response = await get(url);
      expect({ url, status: response.status, body: response.status === 200 ? null : response.body }).toEqual({
        url,
        status: 200,
        body: null,
      });
      return response;
    };
    const REPORTS = [
      `/api/coverage?region=${MUARA_ENIM}&date=2026-03-15`,
      `/api/coverage/series?region=${MUARA_ENIM}&from=2026-01-01&to=2026-06-30`,
      `/api/rankings?regency=${MUARA_ENIM}&date=2026-03-31`,
      '/api/rankings?province=16&date=2026-03-31',
    ];

    it.each(REPORTS)('%s: a bad knownAt is a 400 naming knownAt, and changes nothing', async (url) => {
      const head = await ledger.runtime.store.headPosition();
      for (const bad of ['kemarin', '2026-02-30', '2026-11-30T17:00:00', '-1', '1.5']) {
        expectKnownAtRefused(await get(`${url}&knownAt=${encodeURIComponent(bad)}`), 'isKnownAt');
      }
      // A token the log has not reached names a write the ledger never acknowledged.
      expectKnownAtRefused(await get(`${url}&knownAt=${head + 1000}`), 'notYetRecorded');
      expect(await ledger.runtime.store.headPosition()).toBe(head);
    });

    it.each(REPORTS)('%s: knownAt at the head echoes it and equals the answer without it', async (url) => {
      const head = await ledger.runtime.store.headPosition();
      const plain = (await ok(url)).body;
      expect(plain.knownAt).toBeUndefined();
      const known = (await ok(`${url}&knownAt=${head}`)).body;
      expect(known.knownAt).toBe(head);
      expect(withoutEcho(known)).toEqual(plain);
      // An instant after the last write, and today's day in WIB, resolve to the head too.
      const instant = (
        await ok(`${url}&knownAt=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
      ).body;
      expect(instant.knownAt).toBe(head);
      expect((await ok(`${url}&knownAt=${today}`)).body.knownAt).toBe(head);
      // Before the first event the ledger knew of no one.
      const empty = (await ok(`${url}&knownAt=2000-01-01`)).body;
      expect(empty.knownAt).toBe(0);
      expect(JSON.stringify(empty)).not.toMatch(/"active":[1-9]/);
    });

    it('after a deregistration, knownAt before it answers as the ledger did then', async () => {
      const covered = model.enrollments.find(
        (e) => e.program === 'A' && e.from !== null && e.from <= today && e.endedOn === null,
      )!;
      const coverageUrl = `/api/coverage?region=${MUARA_ENIM}&date=${today}`;
      const rankingUrl = `/api/rankings?regency=${MUARA_ENIM}&date=${today}`;
      const seriesUrl = `/api/coverage/series?region=${MUARA_ENIM}&from=2026-01-01&to=${today}`;
      const before = {
        coverage: (await ok(coverageUrl)).body,
        ranking: (await ok(rankingUrl)).body,
        series: (await ok(seriesUrl)).body,
      };
      // A write may append several events (the enrollment's and the seats'): the head before
      // it is the last position the ledger knew without it.
      const unwritten = await ledger.runtime.store.headPosition();
      const written = await ledger.post(`/api/enrollments/${covered.enrollmentId}/deregistration`, admin, {
        reason: 'moved_away',
        effectiveDate: today,
      });
      expect({ status: written.status, body: written.status === 200 ? null : written.body }).toEqual({
        status: 200,
        body: null,
      });
      const token = Number(written.body.consistencyToken);
      // The day after its last day, the coverage has ended.
      const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const after = (await ok(`/api/coverage?region=${MUARA_ENIM}&date=${tomorrow}&consistentWith=${token}`))
        .body;
      const then = (await ok(`/api/coverage?region=${MUARA_ENIM}&date=${tomorrow}&knownAt=${unwritten}`))
        .body;
      expect(then.active).toBe(after.active + 1);
      expect(
        withoutEcho((await ok(`/api/coverage?region=${MUARA_ENIM}&date=${tomorrow}&knownAt=${token}`)).body),
      ).toEqual(after);

      const known = (url: string) => ok(`${url}&knownAt=${unwritten}`);
      expect(withoutEcho((await known(coverageUrl)).body)).toEqual(before.coverage);
      expect(withoutEcho((await known(rankingUrl)).body)).toEqual(before.ranking);
      expect(withoutEcho((await known(seriesUrl)).body)).toEqual(before.series);
    });

    it('the CSV export takes knownAt and names the position in its file name', async () => {
      const head = await ledger.runtime.store.headPosition();
      const response = await ok(
        `/api/coverage?region=${MUARA_ENIM}&date=2026-03-15&knownAt=${head}&format=csv`,
      );
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="cakupan-${MUARA_ENIM}-2026-03-15-posisi-${head}.csv"`,
      );
      const plain = await ok(`/api/coverage?region=${MUARA_ENIM}&date=2026-03-15&format=csv`);
      expect(response.text).toBe(plain.text);
    });

    it('OpenAPI declares knownAt on the three reports', async () => {
      const response = await ledger.get('/docs-json');
      const paths = response.body.paths;
      for (const path of ['/api/coverage', '/api/coverage/series', '/api/rankings']) {
        expect(paths[path].get.parameters).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              name: 'knownAt',
              in: 'query',
              required: false,
              description: expect.stringMatching(/log position/),
            }),
          ]),
        );
      }
    });
  };
}

describe('SQLite: knownAt on the coverage reports', knownAtSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL: knownAt on the coverage reports',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  knownAtSuite('postgres'),
);
