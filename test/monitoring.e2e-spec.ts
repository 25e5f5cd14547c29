/**
 * Liveness and readiness apart: /health/live answers as long as the process serves HTTP;
 * /health/ready also checks the stores and, with LEDGER_READY_MAX_LAG, how far the read
 * models are behind the log. Monitoring is never rate limited. /metrics counts requests by
 * route pattern, read-your-writes waits by outcome, imports with their rows, and rebuilds.
 */
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp } from './support/ledger-app';
import { MUARA_ENIM, PAGAR_DEWA, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';

const metricValue = (metrics: string, pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);

describe('monitoring (SQLite)', () => {
  let app: LedgerApp;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite', { LEDGER_READY_MAX_LAG: '0', LEDGER_RATE_LIMIT_PER_MINUTE: '6' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is live, and monitoring is not counted against the rate limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await app.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect((await app.get('/health/ready')).status).toBe(200);
      expect((await app.get('/health')).status).toBe(200);
    }
  });

  it('counts requests by method, route pattern and status, and consistency waits by outcome', async () => {
    const admin = await app.token('program_admin', [MUARA_ENIM], 'admin-metrics');
    const created = await app.post('/api/programs', admin, programBody({ name: 'Program metrik' }));
    expect(created.status).toBe(201);
    const { programId, consistencyToken } = created.body;
    expect(
      (await app.get(`/api/programs/${programId}?consistentWith=${consistencyToken}`, admin)).status,
    ).toBe(200);
    expect((await app.get('/no/such/route')).status).toBe(404);

    const metrics = (await app.get('/metrics')).text;
    const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
    expect(
      value(/^http_requests_total\{method="GET",route="\/health\/live",status="200"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(5);
    expect(
      value(/^http_requests_total\{method="GET",route="\/api\/programs\/:id",status="200"\} (\d+)$/m),
    ).toBe(1);
    expect(
      value(/^http_requests_total\{method="POST",route="\/api\/programs",status="201"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/^http_requests_total\{method="GET",route="unmatched",status="404"\} (\d+)$/m)).toBe(1);
    expect(metrics).not.toContain(programId);
    expect(
      value(
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/programs\/:id",status="200"\} (\d+)$/m,
      ),
    ).toBe(1);
    expect(value(/^ledger_consistency_waits_total\{outcome="reached"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^ledger_consistency_wait_seconds_count (\d+)$/m)).toBeGreaterThanOrEqual(1);
    // The process's own metrics under their standard names.
    expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('is not ready while a read model is further behind the log than the bound, and ready once caught up', async () => {
    // Last: the projections stay stopped after this test.
    await app.runtime.runner.stop();
    const admin = await app.token('program_admin', [MUARA_ENIM], 'admin-health');
    expect((await app.post('/api/programs', admin, programBody())).status).toBe(201);

    const behind = await app.get('/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.error.projections).toMatchObject({
      status: 'down',
      maxLag: 0,
      lag: expect.any(Number),
    });
    expect(behind.body.error.projections.lag).toBeGreaterThan(0);
    expect((await app.get('/health/live')).status).toBe(200);

    await app.runtime.runner.catchUp();
    const caughtUp = await app.get('/health/ready');
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.details.projections).toMatchObject({ status: 'up', lag: 0, maxLag: 0 });
  });
});

describe('import and rebuild metrics (SQLite)', () => {
  let app: LedgerApp;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts rows by outcome and uploads by how they ended, with their duration', async () => {
    const admin = await app.token('program_admin', [MUARA_ENIM], 'admin-import-metrics');
    const created = await app.post('/api/programs', admin, programBody({ name: 'Program impor metrik' }));
    expect(created.status).toBe(201);
    const upload = (body: string, fileName: string) =>
      app.post(`/api/programs/${created.body.programId}/enrollments/import`, admin, body, {
        'content-type': 'text/csv',
        'x-file-name': fileName,
      });
    const people = createPeopleGenerator({ seed: 1818, today: todayWib() });
    const rows = [1, 2, 3].map(() => nominationRow(people.next({ villageCode: PAGAR_DEWA })));
    rows[2][2] = 'X'; // sex neither L nor P: rejected
    const csv = nominationCsv(rows);

    expect((await upload(csv, 'usulan.csv')).body).toMatchObject({
      status: 'completed',
      accepted: 2,
      rejected: 1,
    });
    // The same file again changes nothing: an upload, but no rows.
    expect((await upload(csv, 'usulan.csv')).body).toMatchObject({ repeated: true });
    // Neither CSV nor XLSX: refused as a whole.
    expect((await upload('%PDF-1.7\n', 'usulan.pdf')).status).toBe(422);

    const metrics = (await app.get('/metrics')).text;
    const value = (pattern: RegExp) => metricValue(metrics, pattern);
    expect(value(/^ledger_import_rows_total\{outcome="accepted"\} (\d+)$/m)).toBe(2);
    expect(value(/^ledger_import_rows_total\{outcome="rejected"\} (\d+)$/m)).toBe(1);
    expect(value(/^ledger_imports_total\{outcome="completed"\} (\d+)$/m)).toBe(2);
    expect(value(/^ledger_imports_total\{outcome="refused"\} (\d+)$/m)).toBe(1);
    expect(value(/^ledger_import_duration_seconds_count\{outcome="completed"\} (\d+)$/m)).toBe(2);
    expect(value(/^ledger_import_duration_seconds_count\{outcome="refused"\} (\d+)$/m)).toBe(1);
    expect(metrics).toMatch(/^# TYPE ledger_import_duration_seconds histogram$/m);
  });

  it('counts the events a rebuild applies to each read model, also those filled on the helper thread', async () => {
    const { runner, store } = app.runtime;
    const names = runner.projections.map((p) => p.name);
    // Embedded mode: a rebuild of every read model fills about half of them on another thread.
    expect((await runner.rebuildMany(names)).threads).toBe(2);

    const metrics = (await app.get('/metrics')).text;
    for (const projection of runner.projections) {
      const handled = (await store.readAll({ after: 0, types: projection.handles })).length;
      const label = `\\{projection="${projection.name}"\\}`;
      expect(metricValue(metrics, new RegExp(`^ledger_rebuild_events_total${label} (\\d+)$`, 'm'))).toBe(
        handled,
      );
      expect(metricValue(metrics, new RegExp(`^ledger_rebuild_in_progress${label} (\\d+)$`, 'm'))).toBe(0);
    }
  });
});
