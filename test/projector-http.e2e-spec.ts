/**
 * Server mode: the projector, a process of its own, serves its liveness, readiness and
 * Prometheus metrics over HTTP on the port it was given (0: a free one, named in its start
 * line), answers nothing else, and stops cleanly on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { ledgerProjections } from '@ledger/read-models/projections';
import { Client } from 'pg';
import { SERVER_SECRETS } from './support/live-api';
import { finished, spawnTs, waitForOutput } from './support/processes';

describeIfAvailable(
  'PostgreSQL e2e: the projector serves health and metrics',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => {
    const schema = `projector_http_${randomBytes(5).toString('hex')}`;
    let projector: ChildProcess;
    let base: string;
    const env = {
      LEDGER_STORE: 'postgres',
      DATABASE_URL: process.env.DATABASE_URL,
      LEDGER_PG_SCHEMA: schema,
      ...SERVER_SECRETS,
    };

    beforeAll(async () => {
      projector = spawnTs('apps/projector/src/main.ts', {
        ...env,
        LEDGER_PROJECTOR_PORT: '0',
        LOG_LEVEL: 'info',
      });
      const started = await waitForOutput(
        projector,
        /projector started, health and metrics on http:\/\/[^:]+:\d+/,
        120_000,
      );
      base = `http://127.0.0.1:${/:(\d+)$/.exec(started)![1]}`;
    }, 150_000);

    afterAll(async () => {
      if (projector && projector.exitCode === null && projector.signalCode === null)
        projector.kill('SIGKILL');
      const client = new Client(process.env.DATABASE_URL);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    it('is live, and ready once its stores answer', async () => {
      const live = await fetch(`${base}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });

      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        details: {
          eventStore: { status: 'up', kind: 'postgres' },
          readDatabase: { status: 'up', dialect: 'postgres' },
          projections: { status: 'up' },
        },
      });
    });

    it('serves its Prometheus metrics: positions and lag per read model, rebuilds, the process', async () => {
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const metrics = await response.text();
      for (const { name } of ledgerProjections()) {
        expect(metrics).toMatch(
          new RegExp(`^ledger_projection_position\\{projection="${name}"\\} \\d+$`, 'm'),
        );
        expect(metrics).toMatch(new RegExp(`^ledger_projection_lag\\{projection="${name}"\\} 0$`, 'm'));
        expect(metrics).toMatch(new RegExp(`^ledger_rebuild_in_progress\\{projection="${name}"\\} 0$`, 'm'));
      }
      expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
    });

    it('answers 404 for any other path and 405 for another method, without reading a body', async () => {
      const other = await fetch(`${base}/api/programs`);
      expect(other.status).toBe(404);
      expect(other.headers.get('content-type')).toBe('application/problem+json');
      expect(await other.json()).toMatchObject({ status: 404 });
      const posted = await fetch(`${base}/metrics`, { method: 'POST', body: 'x'.repeat(64 * 1024) });
      expect(posted.status).toBe(405);
      expect(posted.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    });

    it('a second projector given the same port stops at start, naming it', async () => {
      const port = new URL(base).port;
      const second = spawnTs('apps/projector/src/main.ts', { ...env, LEDGER_PROJECTOR_PORT: port });
      const { code, stderr } = await finished(second, 120_000);
      expect(code).toBe(1);
      expect(stderr).toContain(
        `projector: cannot start: cannot serve health and metrics on 127.0.0.1:${port}`,
      );
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    }, 150_000);

    it('stops cleanly on SIGTERM, closing its HTTP server', async () => {
      const done = finished(projector, 30_000);
      projector.kill('SIGTERM');
      const { code, stdout } = await done;
      expect(code).toBe(0);
      expect(stdout).toContain('projector stopped');
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    });
  },
);
