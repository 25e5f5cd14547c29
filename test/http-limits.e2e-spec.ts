/**
 * What the HTTP server refuses before a controller runs, over HTTP through the real app:
 * request rate per client and NIK-revealing operations per token (429 problem details with
 * Retry-After), tokens in the query string (refused, and redacted from the logs), framework
 * errors (malformed JSON, 413, 415, unknown routes, headers too large) as problem details,
 * and the connection cap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { JWT_AUDIENCE, JWT_ISSUER, signToken } from '@ledger/platform/auth/jwt';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import { startLedgerApp, todayWib, type ApiResponse, type LedgerApp } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const expectProblem = (response: ApiResponse, status: number, slug: string) => {
  expect(response.status).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${slug}$`)) });
  expect(typeof response.body.title).toBe('string');
};

/** Sends raw bytes on a fresh connection and resolves with everything the server sent back. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 30 s: ${received}`));
    }, 30_000);
    socket.on('data', (d) => (received += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(bytes);
  });
}

describe('HTTP limits (SQLite)', () => {
  let app: LedgerApp;
  let admin: string;
  let programId: string;
  const people = createPeopleGenerator({ seed: 431, today: todayWib(), regions: regions() });

  beforeAll(async () => {
    app = await startLedgerApp('sqlite', {
      LEDGER_RATE_LIMIT_PER_MINUTE: '40',
      LEDGER_NIK_RATE_LIMIT_PER_MINUTE: '3',
      LEDGER_MAX_CONNECTIONS: '2',
    });
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-limits');
    const created = await app.post('/api/programs', admin, programBody());
    expect(created.status).toBe(201);
    programId = created.body.programId;
    await app.app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a token in the query string before anything runs, naming the parameter', async () => {
    const before = await app.runtime.store.headPosition();
    for (const name of ['access_token', 'token']) {
      const response = await app.post(
        `/api/programs?${name}=${admin}`,
        admin,
        programBody({ name: 'Lewat URL' }),
      );
      expectProblem(response, 400, 'auth.queryToken');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: name, rule: 'auth.queryToken' }),
      ]);
      expect(response.text).not.toContain(admin);
    }
    expect(await app.runtime.store.headPosition()).toBe(before);
  });

  it('refuses a token whose lifetime is beyond the maximum (exp in 9999) with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forever = await new SignJWT({ role: 'program_admin', regions: [MUARA_ENIM] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('admin-limits')
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(Math.floor(Date.UTC(9999, 0, 1) / 1000))
      .sign(new Uint8Array(app.runtime.secrets.jwtSecret));
    const response = await app.get('/api/programs', forever);
    expectProblem(response, 401, 'auth.invalid');
    expect(response.headers['www-authenticate']).toMatch(/invalid_token/);
  });

  it('answers framework errors as problem details naming the rule', async () => {
    const json = { 'content-type': 'application/json' };
    const malformed = await app.request('POST', '/api/programs', {
      token: admin,
      payload: '{"name":',
      headers: json,
    });
    expectProblem(malformed, 400, 'request.malformed');
    expect(malformed.body.errors[0]).toMatchObject({ field: 'body', rule: 'request.malformed' });
    const xml = await app.request('POST', '/api/programs', {
      token: admin,
      payload: '<program/>',
      headers: { 'content-type': 'application/xml' },
    });
    expectProblem(xml, 415, 'request.unsupportedMediaType');
    const huge = await app.request('POST', '/api/programs', {
      token: admin,
      payload: `{"name":"${'x'.repeat(65 * 1024 * 1024)}"}`,
      headers: json,
    });
    expectProblem(huge, 413, 'request.tooLarge');
    expectProblem(await app.get('/api/no-such-thing', admin), 404, 'route.notFound');
    expectProblem(await app.get('/no-such-thing'), 404, 'route.notFound');
  });

  it('answers headers too large with 431 problem details', async () => {
    const { port } = app.app.getHttpServer().address() as { port: number };
    const answer = await rawRequest(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40 * 1024)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 431,
      type: expect.stringMatching(/request\.headersTooLarge$/),
    });
  });

  it('closes connections beyond the cap on arrival', async () => {
    const { port } = app.app.getHttpServer().address() as { port: number };
    const open: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        open.push(socket);
      }
      // Give the server the time to count both (it accepts in its own turn of the loop).
      const health = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(health).toBe('');
    } finally {
      for (const socket of open) socket.destroy();
    }
    // Once they are gone the server serves again.
    let again = '';
    for (let attempt = 0; attempt < 50 && !again.startsWith('HTTP/1.1 200'); attempt++) {
      again = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      if (!again) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('limits NIK-revealing operations per user with 429 and Retry-After; other users go on', async () => {
    const operator = await app.token('village_operator', [EMBAWANG], 'operator-limits');
    const propose = (token: string) =>
      app.post(
        `/api/programs/${programId}/enrollments`,
        token,
        proposal(people.next({ villageCode: EMBAWANG })),
      );
    for (let i = 0; i < 3; i++) expect((await propose(operator)).status).toBe(201);
    const before = await app.runtime.store.headPosition();
    const limited = await propose(operator);
    expectProblem(limited, 429, 'rate.limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ limit: 3, retryAfterSeconds: expect.any(Number) });
    expect(await app.runtime.store.headPosition()).toBe(before);
    // An import is as revealing: the same token is limited there too once it used its three.
    const csv = 'NIK;Nama\r\n';
    for (let i = 0; i < 3; i++) {
      await app.request('POST', `/api/programs/${programId}/enrollments/import`, {
        token: operator,
        payload: csv,
        headers: { 'content-type': 'text/csv' },
      });
    }
    const importLimited = await app.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: operator,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expectProblem(importLimited, 429, 'rate.limited');
    // The limit is the user's: another token of the same user is limited too, another user's is not.
    const sameUser = await signToken(app.runtime.secrets.jwtSecret, {
      sub: 'operator-limits',
      role: 'village_operator',
      regions: [EMBAWANG],
      ttlSeconds: 600,
    });
    expectProblem(await propose(sameUser), 429, 'rate.limited');
    const colleague = await app.token('village_operator', [EMBAWANG], 'operator-limits-2');
    expect((await propose(colleague)).status).toBe(201);
  });

  it('limits the request rate per client with 429 and Retry-After, never /health', async () => {
    let limited: ApiResponse | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const response = await app.get('/api/programs', admin);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expectProblem(limited!, 429, 'rate.limited');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.get('/health')).status).toBe(200);
  });
});

describe('a token sent in the URL never reaches the log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the request with the value redacted', async () => {
    const port = await freePort();
    const child = spawnTs('apps/api/src/main.ts', {
      LEDGER_DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const done = finished(child);
    await waitForOutput(child, /ledger listening on/);
    const token = await signToken(loadOrCreateSecrets(join(dir, 'data')).jwtSecret, {
      sub: 'admin',
      role: 'program_admin',
      regions: ['1603'],
      ttlSeconds: 600,
    });
    const response = await fetch(`http://127.0.0.1:${port}/api/programs?region=1603&access_token=${token}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: expect.stringMatching(/auth\.queryToken$/) });
    child.kill('SIGTERM');
    const { stdout, stderr } = await done;
    expect(stdout).toMatch(/access_token=\[redacted\]/);
    expect(stdout + stderr).not.toContain(token);
  });
});

describe.each([
  ['no proxy is trusted (the default)', {}, 'counted under the peer, whatever the header says'],
  ['the proxy in front is named', { LEDGER_TRUST_PROXY: '127.0.0.1' }, 'counted per forwarded client'],
])('X-Forwarded-For when %s', (_when, env: Record<string, string>, outcome) => {
  let app: LedgerApp;
  let admin: string;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite', { LEDGER_RATE_LIMIT_PER_MINUTE: '5', ...env });
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-forwarded');
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`the per-address rate limit is ${outcome}`, async () => {
    // Twelve requests from the same peer, each claiming to be a different client.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await app.get('/api/programs', admin, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      statuses.push(response.status);
    }
    if (env.LEDGER_TRUST_PROXY) expect(statuses).toEqual(Array(12).fill(200));
    else expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});
