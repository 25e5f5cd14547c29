import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '@ledger/event-store';
import { LedgerMetrics } from '@ledger/platform/metrics';
import { openSqliteReadDb, type ReadDb, type RunnerFailure } from '@ledger/read-models';
import type { LedgerRuntime } from '@ledger/runtime';
import { serveProjectorHttp, type ProjectorHttp } from './projector-http';

describe("the projector's readiness", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-projector-http-'));
  let read: ReadDb;
  let http: ProjectorHttp;
  let pings = 0;
  let ping: () => Promise<void>;
  let failure: RunnerFailure | undefined;
  const logger = { info: jest.fn(), error: jest.fn() };

  beforeAll(async () => {
    read = openSqliteReadDb(join(dir, 'read.db'));
    const runtime = {
      config: { projectorPort: 0, host: '127.0.0.1', httpLimits: { maxConnections: 10 } },
      store: { kind: 'postgres', ping: () => (pings++, ping()) },
      read,
      metrics: new LedgerMetrics(),
      runner: { status: async () => [] },
      projectionFailure: () => failure,
    } as unknown as LedgerRuntime;
    http = await serveProjectorHttp(runtime, logger);
  });
  afterAll(async () => {
    await http?.close();
    await read?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`http://127.0.0.1:${http.port}${path}`);

  it('is 503 problem details naming each part down: the store unreachable, the projections stopped by a full disk', async () => {
    ping = () => Promise.reject(new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432'));
    failure = { message: 'SQLITE_FULL: database or disk is full', fault: 'disk_full' };
    const response = await get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body).toMatchObject({
      type: expect.stringMatching(/health\.down$/),
      title: 'Tidak siap: eventStore, projections',
      status: 503,
      error: {
        eventStore: { status: 'down', kind: 'postgres', fault: 'unavailable' },
        projections: { status: 'down', fault: 'disk_full' },
      },
      details: { readDatabase: { status: 'up', dialect: 'sqlite' } },
    });
    expect(body.error.readDatabase).toBeUndefined();
    expect((await get('/health/live')).status).toBe(200);
  });

  it('stays ready when a projection fails for another reason than storage, keeping its last error', async () => {
    ping = async () => undefined;
    failure = { message: 'a projection threw' };
    const response = await get('/health/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { projections: { status: 'up', lastError: 'a projection threw' } },
    });
  });

  it('asks the stores once for probes that arrive together', async () => {
    failure = undefined;
    let answer: () => void = () => undefined;
    ping = () => new Promise<void>((resolve) => (answer = resolve));
    pings = 0;
    const probes = Promise.all([get('/health/ready'), get('/health/ready'), get('/health/ready')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer();
    expect((await probes).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(pings).toBe(1);
  });
});
