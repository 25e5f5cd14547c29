/**
 * Liveness and readiness apart: /health/live answers as long as the process serves HTTP;
 * /health/ready also checks the stores and, with LEDGER_READY_MAX_LAG, how far the read
 * models are behind the log. Monitoring is never rate limited.
 */
import { startLedgerApp, type LedgerApp } from './support/ledger-app';
import { MUARA_ENIM, programBody } from './support/ledger-fixtures';

describe('health (SQLite)', () => {
  let app: LedgerApp;
  beforeAll(async () => {
    app = await startLedgerApp('sqlite', { LEDGER_READY_MAX_LAG: '0', LEDGER_RATE_LIMIT_PER_MINUTE: '2' });
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

  it('is not ready while a read model is further behind the log than the bound, and ready once caught up', async () => {
    await app.runtime.runner.stop();
    const admin = await app.token('program_admin', [MUARA_ENIM], 'admin-health');
    expect((await app.post('/api/programs', admin, programBody())).status).toBe(201);

    const behind = await app.get('/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.error.projections).toMatchObject({ status: 'down', maxLag: 0, lag: expect.any(Number) });
    expect(behind.body.error.projections.lag).toBeGreaterThan(0);
    expect((await app.get('/health/live')).status).toBe(200);

    await app.runtime.runner.catchUp();
    const caughtUp = await app.get('/health/ready');
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.details.projections).toMatchObject({ status: 'up', lag: 0, maxLag: 0 });
  });
});
