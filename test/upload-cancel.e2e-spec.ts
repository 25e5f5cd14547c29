/**
 * A client that leaves during an import: the server stops reading and proposing at its next
 * turn (the import stays resumable), keeps answering others, and the same file sent again
 * resumes after the last recorded row and completes with every row accepted once.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';

const ROWS = 40_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an upload whose client leaves (SQLite)', () => {
  let ledger: LedgerApp;
  let port: number;
  let admin: string;
  let programId: string;
  let file: Buffer;

  beforeAll(async () => {
    ledger = await startLedgerApp('sqlite', { LEDGER_CONSISTENCY_TIMEOUT_MS: '30000' });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-cancel');
    const created = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Program Batal', quota: ROWS }),
    );
    expect(created.status).toBe(201);
    programId = created.body.programId;
    const people = createPeopleGenerator({ seed: 7117, today: todayWib() });
    file = Buffer.from(
      nominationCsv(
        Array.from({ length: ROWS }, () => nominationRow(people.next({ villageCode: EMBAWANG }))),
      ),
    );
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ledger.app.getHttpServer().address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();

  it('stops when the client leaves, and the same file again completes the import', async () => {
    const before = await head();
    // The whole file is sent, then the connection is dropped without waiting for the answer.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/programs/${programId}/enrollments/import`,
        headers: {
          authorization: `Bearer ${admin}`,
          'content-type': 'text/csv',
          'content-length': file.length,
        },
      });
      req.on('error', () => undefined);
      req.end(file, () => {
        req.destroy();
        resolve();
      });
      req.on('response', () => reject(new Error('the import answered before the client left')));
    });

    // The log stops growing: the server noticed. Bounded generously for a loaded machine.
    let last = await head();
    for (let quiet = 0, waited = 0; quiet < 3; waited += 1) {
      if (waited > 240) throw new Error('the import went on for 2 minutes after its client left');
      await sleep(500);
      const now = await head();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    expect((await ledger.get('/health')).status).toBe(200);
    // Each accepted row appends several events: had it run to the end there would be at least ROWS.
    expect(last - before).toBeLessThan(ROWS);

    const again = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: admin,
      payload: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'completed', total: ROWS, accepted: ROWS, rejected: 0 });
    const summary = await ledger.get(
      `/api/programs/${programId}/summary?consistentWith=${again.body.consistencyToken}`,
      admin,
    );
    expect(summary.status).toBe(200);
    expect(JSON.stringify(summary.body)).toContain(`"proposed":${ROWS}`);
  }, 600_000);
});
