/**
 * Server mode: five APIs and five projectors started at the same moment on an empty
 * PostgreSQL schema all come up. Each installs the event store, the key store and the read
 * models; those installs take locks, so none of them trips over another's DDL.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { Client } from 'pg';
import { SERVER_SECRETS } from './support/live-api';
import { freePort, spawnTs, waitForOutput } from './support/processes';

describeIfAvailable(
  'PostgreSQL e2e: processes started together on an empty schema',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => {
    const schema = `start_${randomBytes(5).toString('hex')}`;
    const children: ChildProcess[] = [];

    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      const client = new Client(process.env.DATABASE_URL);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    it('5 APIs and 5 projectors at once: every one comes up and stays up', async () => {
      const env = {
        LEDGER_STORE: 'postgres',
        DATABASE_URL: process.env.DATABASE_URL,
        LEDGER_PG_SCHEMA: schema,
        LEDGER_RUN_PROJECTIONS: 'false',
        ...SERVER_SECRETS,
      };
      const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
      const started = [
        ...ports.map((port) => {
          const api = spawnTs('apps/api/src/main.ts', { ...env, PORT: String(port) });
          children.push(api);
          return waitForOutput(api, /ledger listening on/, 120_000);
        }),
        ...ports.map(() => {
          const projector = spawnTs('apps/projector/src/main.ts', {
            ...env,
            LOG_LEVEL: 'info',
            LEDGER_PROJECTOR_PORT: '0',
          });
          children.push(projector);
          return waitForOutput(projector, /projector started/, 120_000);
        }),
      ];
      const outcomes = await Promise.allSettled(started);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      expect(children.filter((c) => c.exitCode !== null)).toEqual([]);
    }, 180_000);
  },
);
