/**
 * Server mode through a PostgreSQL outage: the API and the projector run as real processes
 * against a PostgreSQL server of the test's own, which is stopped for 20 s during an import
 * and again during a catch-up. Neither process may exit; requests meanwhile answer 503 with
 * Retry-After; afterwards the import completes and the read models equal a rebuild.
 */
import type { ChildProcess } from 'node:child_process';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { ledgerProjections } from '@ledger/read-models/projections';
import { tablesOf } from '@ledger/read-models';
import { Client } from 'pg';
import { todayWib } from './support/ledger-app';
import { EMBAWANG, PAGAR_DEWA, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';
import { SERVER_SECRETS, bearer, createProgram } from './support/live-api';
import { pgClusterUnavailable, startPgCluster, type PgCluster } from './support/pg-cluster';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const OUTAGE_MS = 20_000;
const ROWS = 2_000;
/** The second file: its ~24,000 events are the backlog the projector catches up on. */
const BACKLOG_ROWS = 4_000;
const SCHEMA = 'ledger';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describeIfAvailable('Outage e2e: a PostgreSQL server of its own stopped 20 s', pgClusterUnavailable(), () => {
  let cluster: PgCluster;
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let base: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      LEDGER_STORE: 'postgres',
      DATABASE_URL: cluster.url,
      LEDGER_PG_SCHEMA: SCHEMA,
      LEDGER_RUN_PROJECTIONS: 'false',
      PORT: String(port),
      ...SERVER_SECRETS,
    };
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (alive(child)) child.kill('SIGKILL');
    await cluster?.destroy();
  });

  const sql = async <T>(text: string): Promise<T[]> => {
    const client = new Client(cluster.url);
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const head = async () => Number((await sql<{ p: string }>(`SELECT max(position) AS p FROM ${SCHEMA}.events`))[0].p ?? 0);
  const lowestCheckpoint = async () =>
    Number((await sql<{ p: string }>(`SELECT min(position) AS p FROM ${SCHEMA}.projection_checkpoints`))[0].p);

  /** Rows and content of every read model, in a form two runs can be compared by. */
  const readModels = async () => {
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const spec of ledgerProjections().flatMap(tablesOf)) {
      const [row] = await sql<{ rows: string; digest: string }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${SCHEMA}.${spec.name} t`,
      );
      out[spec.name] = { rows: Number(row.rows), digest: row.digest };
    }
    return out;
  };

  const startProjector = async () => {
    const projector = spawnTs('apps/projector/src/main.ts', { ...env, LOG_LEVEL: 'info', LEDGER_PROJECTOR_PORT: '0' });
    children.push(projector);
    await waitForOutput(projector, /projector started/);
    return projector;
  };

  /** The outage: stopped, then for 20 s every request is a 503 with Retry-After and both processes live. */
  const outage = async (processes: ChildProcess[], headers: Record<string, string>, programId: string) => {
    const stoppedAt = Date.now();
    await cluster.stop();
    const read = await fetch(`${base}/api/programs/${programId}`, { headers });
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    expect(await read.json()).toMatchObject({ status: 503, fault: 'unavailable' });
    const write = await fetch(`${base}/api/programs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(programBody({ name: 'Program saat gangguan' })),
    });
    expect(write.status).toBe(503);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      details: {
        eventStore: { status: 'down', fault: 'unavailable' },
        readDatabase: { status: 'down', fault: 'unavailable' },
        keyStore: { status: 'down', fault: 'unavailable' },
      },
    });
    expect((await fetch(`${base}/health`)).status).toBe(503);
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      expect(processes.map(alive)).toEqual(processes.map(() => true));
      await sleep(1000);
    }
    await cluster.start();
    await until('the API to be ready again', async () =>
      (await fetch(`${base}/health/ready`)).status === 200 ? true : undefined,
    );
    expect(processes.map(alive)).toEqual(processes.map(() => true));
  };

  it(
    'stopped 20 s during an import and during a catch-up: API and projector stay up, answer 503, then finish; read models equal a rebuild',
    async () => {
      const api = spawnTs('apps/api/src/main.ts', env);
      children.push(api);
      await waitForOutput(api, /ledger listening on/);
      let projector = await startProjector();

      const token = await bearer(Buffer.from(SERVER_SECRETS.LEDGER_JWT_SECRET, 'base64'));
      const headers = { authorization: `Bearer ${token}` };
      const { programId, consistencyToken } = await createProgram(base, token, { quota: ROWS + BACKLOG_ROWS });

      const people = createPeopleGenerator({ seed: 1010, today: todayWib() });
      const file = (villageCode: string, rows = ROWS) =>
        nominationCsv(Array.from({ length: rows }, () => nominationRow(people.next({ villageCode }))));
      const upload = (csv: string) =>
        fetch(`${base}/api/programs/${programId}/enrollments/import`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'usulan.csv' },
          body: csv,
        });

      // 1. The outage begins while an import is writing its rows.
      const first = file(EMBAWANG);
      const cut = upload(first);
      await until('the import to write', async () => ((await head()) > consistencyToken + 20 ? true : undefined));
      const outageDone = outage([api, projector], headers, programId);
      const answer = await cut;
      // Either it finished before the server went away, or it is told to come back: never a 500 or a reset.
      if (answer.status !== 200) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      await outageDone;
      const again = await upload(first);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ status: 'completed', total: ROWS, accepted: ROWS });

      // 2. The outage begins while a projector catches up on a backlog.
      projector.kill('SIGTERM');
      expect((await finished(projector)).code).toBe(0);
      const second = await upload(file(PAGAR_DEWA, BACKLOG_ROWS));
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({ status: 'completed', accepted: BACKLOG_ROWS });
      const backlog = await head();
      projector = await startProjector();
      // Batches of 10,000 events: the backlog takes the projector several of them.
      expect(await lowestCheckpoint()).toBeLessThan(backlog);
      await outage([api, projector], headers, programId);
      await until('the projector to reach the head', async () =>
        (await lowestCheckpoint()) >= backlog ? true : undefined,
      );
      const status = (await (await fetch(`${base}/api/projections`, { headers })).json()) as {
        projections: { caughtUp: boolean; name: string }[];
      };
      expect(status.projections.filter((p) => !p.caughtUp)).toEqual([]);

      // 3. What the projector built through both outages equals a rebuild from the log.
      const live = await readModels();
      expect(live.participants.rows).toBe(ROWS + BACKLOG_ROWS);
      const rebuild = await finished(spawnTs('apps/cli/src/main.ts', env, ['projections', 'rebuild', 'all']), 180_000);
      expect(rebuild.code).toBe(0);
      expect(await readModels()).toEqual(live);
      expect([api, projector].map(alive)).toEqual([true, true]);
    },
    600_000,
  );
});
