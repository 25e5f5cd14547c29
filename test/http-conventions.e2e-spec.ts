/**
 * What browsers and report builders rely on in every answer: the request id (taken from
 * X-Request-Id when it is a plain token, generated otherwise, echoed and named in every
 * problem body), CORS for the configured origins only, and ETag / If-None-Match on the read
 * models' answers, tied to where the read models stand and to who asks.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { MUARA_ENIM, SIJUNJUNG, programBody } from './support/ledger-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DASHBOARD = 'https://dashboard.kab.go.id';

const corsHeaders = (response: ApiResponse) =>
  Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));

const preflight = (app: LedgerApp, origin: string, method = 'POST') =>
  app.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'OPTIONS',
      url: '/api/programs',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });

describe('request id and CORS by default (SQLite)', () => {
  let app: LedgerApp;
  let admin: string;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite');
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-conventions');
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('request id', () => {
    it('echoes a client X-Request-Id that is a plain token', async () => {
      const id = 'dashboard-7f3a.2026:req-1';
      const response = await app.get('/health/live', undefined, { 'x-request-id': id });
      expect(response.status).toBe(200);
      expect(response.headers['x-request-id']).toBe(id);
    });

    it('generates a UUID when the client sends none, a different one for each request', async () => {
      const first = await app.get('/health/live');
      const second = await app.get('/health/live');
      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with spaces', 'two words'],
      ['with markup', '<script>alert(1)</script>'],
      ['with a line break encoded', 'abc%0d%0aSet-Cookie:x'],
    ])('replaces an id %s with a generated one, never echoing it', async (_case, given) => {
      const response = await app.get('/health/live', undefined, { 'x-request-id': given });
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(JSON.stringify(response.headers)).not.toContain(given);
    });

    it('accepts 128 characters', async () => {
      const id = 'b'.repeat(128);
      expect((await app.get('/health/live', undefined, { 'x-request-id': id })).headers['x-request-id']).toBe(
        id,
      );
    });

    it('names the request in a 400 problem body, the same id as the header', async () => {
      const response = await app.post(
        '/api/programs',
        admin,
        { name: 'x' },
        { 'x-request-id': 'bad-body-1' },
      );
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['x-request-id']).toBe('bad-body-1');
      expect(response.body).toMatchObject({ status: 400, requestId: 'bad-body-1' });
    });

    it('names the request in a 404 problem body, generated ids too', async () => {
      const unknownRoute = await app.get('/no/such/route');
      expect(unknownRoute.status).toBe(404);
      expect(unknownRoute.body.requestId).toMatch(UUID);
      expect(unknownRoute.body.requestId).toBe(unknownRoute.headers['x-request-id']);

      const unknownProgram = await app.get('/api/programs/00000000-0000-4000-8000-000000000000', admin, {
        'x-request-id': 'lookup-404',
      });
      expect(unknownProgram.status).toBe(404);
      expect(unknownProgram.body).toMatchObject({ status: 404, requestId: 'lookup-404' });
    });

    it('names the request in refusals made before any controller runs', async () => {
      const unauthenticated = await app.get('/api/programs', undefined, { 'x-request-id': 'no-token' });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.body.requestId).toBe('no-token');

      const tokenInUrl = await app.get('/api/programs?access_token=abc', undefined, {
        'x-request-id': 'query-token',
      });
      expect(tokenInUrl.status).toBe(400);
      expect(tokenInUrl.headers['x-request-id']).toBe('query-token');
      expect(tokenInUrl.body.requestId).toBe('query-token');
    });
  });

  describe('CORS, off by default', () => {
    it('sends no CORS header, and a preflight finds no route, as before', async () => {
      const read = await app.get('/api/programs', admin, { origin: DASHBOARD });
      expect(read.status).toBe(200);
      expect(corsHeaders(read)).toEqual([]);
      const options = await preflight(app, DASHBOARD);
      expect(options.statusCode).toBe(404);
      expect(Object.keys(options.headers).filter((n) => n.startsWith('access-control-'))).toEqual([]);
    });
  });
});

/** Both stores: the tag comes from each one's own log head and checkpoint table. */
function etagSuite(mode: LedgerMode) {
  let app: LedgerApp;
  let admin: string;
  beforeAll(async () => {
    app = await startLedgerApp(mode);
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-etag');
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('ETag and If-None-Match', () => {
    let programId: string;
    let token: number;
    beforeAll(async () => {
      const created = await app.post('/api/programs', admin, programBody({ name: 'Program ETag' }));
      expect(created.status).toBe(201);
      ({ programId, consistencyToken: token } = created.body);
      expect((await app.get(`/api/programs/${programId}?consistentWith=${token}`, admin)).status).toBe(200);
    });

    it('tags a read model answer, weakly, and keeps it out of shared caches', async () => {
      const response = await app.get(`/api/programs/${programId}`, admin);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(response.headers['cache-control']).toBe('private, no-cache');
      // Asked again with nothing moved: the same tag.
      expect((await app.get(`/api/programs/${programId}`, admin)).headers.etag).toBe(response.headers.etag);
    });

    it('answers 304 without a body when the client holds the current answer', async () => {
      const first = await app.get(`/api/programs/${programId}`, admin);
      const tag = String(first.headers.etag);
      for (const held of [tag, tag.replace(/^W\//, ''), `W/"other", ${tag}`, '*']) {
        const again = await app.get(`/api/programs/${programId}`, admin, { 'if-none-match': held });
        expect(again.status).toBe(304);
        expect(again.text).toBe('');
        expect(again.headers.etag).toBe(tag);
        expect(again.headers['content-type']).toBeUndefined();
      }
      const head = await app.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'HEAD',
          url: `/api/programs/${programId}`,
          headers: { authorization: `Bearer ${admin}`, 'if-none-match': tag },
        });
      expect(head.statusCode).toBe(304);
      expect(head.headers.etag).toBe(tag);
      const other = await app.get(`/api/programs/${programId}`, admin, { 'if-none-match': 'W/"other"' });
      expect(other.status).toBe(200);
      expect(other.body.id).toBe(programId);
    });

    it('gives another tag, and the answer, once a write changed it', async () => {
      const before = await app.get(`/api/programs/${programId}`, admin);
      const amended = await app.post(`/api/programs/${programId}/quota`, admin, { quota: 4321 });
      expect(amended.status).toBe(201);
      const after = await app.get(
        `/api/programs/${programId}?consistentWith=${amended.body.consistencyToken}`,
        admin,
      );
      expect(after.status).toBe(200);
      const now = await app.get(`/api/programs/${programId}`, admin, {
        'if-none-match': String(before.headers.etag),
      });
      expect(now.status).toBe(200);
      expect(now.headers.etag).not.toBe(before.headers.etag);
      expect(JSON.stringify(now.body)).toContain('4321');
    });

    it('gives two callers of different scopes different tags for the same URL', async () => {
      const regency = await app.get('/api/programs', admin);
      const elsewhere = await app.get(
        '/api/programs',
        await app.token('program_admin', [SIJUNJUNG], 'other'),
      );
      const national = await app.get('/api/programs', await app.token('auditor', ['ID'], 'auditor-etag'));
      expect([regency.status, elsewhere.status, national.status]).toEqual([200, 200, 200]);
      const tags = [regency, elsewhere, national].map((r) => r.headers.etag);
      expect(new Set(tags).size).toBe(3);
      // The other scope's tag does not confirm this caller's answer.
      const crossed = await app.get('/api/programs', admin, {
        'if-none-match': String(elsewhere.headers.etag),
      });
      expect(crossed.status).toBe(200);
    });

    it('tags each format of a report apart', async () => {
      const url = `/api/coverage?region=${MUARA_ENIM}`;
      const json = await app.get(url, admin);
      const csv = await app.get(url, admin, { accept: 'text/csv' });
      expect([json.status, csv.status]).toEqual([200, 200]);
      expect(csv.headers.etag).toMatch(/^W\//);
      expect(csv.headers.etag).not.toBe(json.headers.etag);
      const held = await app.get(url, admin, {
        accept: 'text/csv',
        'if-none-match': String(csv.headers.etag),
      });
      expect(held.status).toBe(304);
      expect(held.headers['content-disposition']).toBeUndefined();
    });

    it('leaves monitoring, refusals and the projections status untagged', async () => {
      for (const url of ['/health', '/health/live', '/health/ready', '/metrics']) {
        const response = await app.get(url);
        expect(response.status).toBe(200);
        expect(response.headers.etag).toBeUndefined();
      }
      const projections = await app.get('/api/projections', admin);
      expect(projections.status).toBe(200);
      expect(projections.headers.etag).toBeUndefined();
      const missing = await app.get('/api/programs/00000000-0000-4000-8000-000000000000', admin);
      expect(missing.status).toBe(404);
      expect(missing.headers.etag).toBeUndefined();
    });

    it('never confirms an answer computed before its read model caught up', async () => {
      // Last: the projections stay stopped after this test.
      await app.runtime.runner.stop();
      const amended = await app.post(`/api/programs/${programId}/quota`, admin, { quota: 5555 });
      expect(amended.status).toBe(201);
      const stale = await app.get(`/api/programs/${programId}`, admin);
      expect(JSON.stringify(stale.body)).not.toContain('5555');
      await app.runtime.runner.catchUp();
      // The log's head did not move; the read model did, and so did the tag.
      const fresh = await app.get(`/api/programs/${programId}`, admin, {
        'if-none-match': String(stale.headers.etag),
      });
      expect(fresh.status).toBe(200);
      expect(JSON.stringify(fresh.body)).toContain('5555');
    });
  });
}

describe('SQLite e2e: ETag and If-None-Match', () => etagSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: ETag and If-None-Match',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => etagSuite('postgres'),
);

describe('CORS for listed origins (SQLite)', () => {
  let app: LedgerApp;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite', { LEDGER_CORS_ORIGINS: `${DASHBOARD}, http://localhost:5173` });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a preflight from a listed origin with 204, the methods and the headers', async () => {
    const response = await preflight(app, DASHBOARD);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(response.headers['access-control-allow-methods']).split(', ')).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT']),
    );
    expect(String(response.headers['access-control-allow-headers']).split(', ')).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'idempotency-key',
        'x-request-id',
        'if-none-match',
      ]),
    );
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['access-control-max-age']).toMatch(/^\d+$/);
    expect(String(response.headers.vary)).toMatch(/origin/i);
  });

  it('lets a listed page read the answer and the headers it needs, errors included', async () => {
    const token = await app.token('program_admin', [MUARA_ENIM], 'cors-admin');
    const read = await app.get('/api/programs', token, { origin: 'http://localhost:5173' });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(read.headers['access-control-expose-headers']).split(', ')).toEqual(
      expect.arrayContaining(['etag', 'x-request-id', 'retry-after']),
    );
    const refused = await app.get('/api/programs', undefined, { origin: DASHBOARD });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(DASHBOARD);
  });

  it('gives an origin not in the list no CORS header at all', async () => {
    for (const origin of ['https://evil.example', 'https://dashboard.kab.go.id.evil.example', 'null']) {
      const options = await preflight(app, origin);
      expect(options.statusCode).toBe(404);
      expect(Object.keys(options.headers).filter((n) => n.startsWith('access-control-'))).toEqual([]);
      const read = await app.get('/health/live', undefined, { origin });
      expect(corsHeaders(read)).toEqual([]);
    }
  });
});

describe('CORS for any origin, reads only (SQLite)', () => {
  let app: LedgerApp;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite', { LEDGER_CORS_ORIGINS: '*' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('allows any page to read, no page to write', async () => {
    const read = await preflight(app, 'https://any.example', 'GET');
    expect(read.statusCode).toBe(204);
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(read.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(read.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
