/**
 * Embedded mode on a disk that fills up: the data folder is a tmpfs of a few MB mounted for
 * the test (root only), with a ballast file that is removed to free space. Imports run until
 * one is refused: 507 problem details naming the full disk, /health/ready 503 naming the data
 * disk, the process stays up; once space is freed it recovers by itself, the refused import
 * completes when uploaded again, and every import acknowledged before is still there after a
 * restart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { todayWib } from './support/ledger-app';
import { EMBAWANG, nominationCsv, nominationRow } from './support/ledger-fixtures';
import { bearer, createProgram } from './support/live-api';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const API = 'apps/api/src/main.ts';
const DISK_MB = 16;
const BALLAST_MB = 8;
const ROWS = 400;

/** Whether a tmpfs can be mounted here (root, and a kernel that lets this container mount). */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a small filesystem needs root';
  const probe = mkdtempSync(join(tmpdir(), 'ledger-mount-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    if (mounted.status !== 0) return `mount -t tmpfs failed: ${String(mounted.stderr).trim()}`;
    spawnSync('umount', [probe]);
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeIfAvailable('Disk e2e: a data folder on a small filesystem that fills up', tmpfsUnavailable(), () => {
  let dir: string;
  let data: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-full-'));
    data = join(dir, 'data');
    mkdirSync(data);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m`, 'tmpfs', data]);
    writeFileSync(join(data, 'ballast'), Buffer.alloc(BALLAST_MB * 1024 * 1024, 1));
  });
  afterAll(() => {
    spawnSync('umount', ['-l', data]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('507 and /health/ready 503 while full; recovers once space is freed; nothing acknowledged is lost', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    let done = finished(child, 600_000);
    await waitForOutput(child, /ledger listening on/);
    const token = await bearer(loadOrCreateSecrets(data).jwtSecret);
    const headers = { authorization: `Bearer ${token}` };
    const { programId } = await createProgram(base, token, { quota: 100_000 });

    const people = createPeopleGenerator({ seed: 507, today: todayWib() });
    const upload = (csv: string) =>
      fetch(`${base}/api/programs/${programId}/enrollments/import`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'usulan.csv' },
        body: csv,
      });

    // Imports until the disk is full; every one acknowledged meanwhile is remembered.
    const acknowledged: { importId: string; accepted: number }[] = [];
    let refusedFile: string | undefined;
    let refusal: Response | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      const csv = nominationCsv(Array.from({ length: ROWS }, () => nominationRow(people.next({ villageCode: EMBAWANG }))));
      const answer = await upload(csv);
      if (answer.status === 200) {
        const body = (await answer.json()) as { importId: string; accepted: number; status: string };
        expect(body.status).toBe('completed');
        acknowledged.push({ importId: body.importId, accepted: body.accepted });
      } else {
        refusal = answer;
        refusedFile = csv;
      }
    }
    expect(refusal?.status).toBe(507);
    expect(refusal!.headers.get('content-type')).toContain('application/problem+json');
    expect(refusal!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refusal!.json()).toMatchObject({ status: 507, fault: 'disk_full', title: expect.stringMatching(/penuh/) });
    expect(acknowledged.length).toBeGreaterThan(0);

    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ details: { dataDisk: { status: 'down', fault: 'disk_full' } } });
    expect(child.exitCode).toBeNull();

    // Space freed: the process recovers by itself, the refused import completes when uploaded again.
    rmSync(join(data, 'ballast'));
    for (let i = 0; (await fetch(`${base}/health/ready`)).status !== 200; i++) {
      if (i > 600) throw new Error('/health/ready did not recover within 60 s of freeing space');
      await sleep(100);
    }
    const again = await upload(refusedFile!);
    expect(again.status).toBe(200);
    const completed = (await again.json()) as { importId: string; accepted: number; status: string };
    expect(completed).toMatchObject({ status: 'completed', accepted: ROWS });
    acknowledged.push({ importId: completed.importId, accepted: completed.accepted });

    // After a restart every acknowledged import is there, and the read models hold each of its rows.
    child.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(0);
    // The projection thread, if the full disk reached it, logged the disk's error, not a failed ROLLBACK.
    const logs = stopped.stdout + stopped.stderr;
    expect(logs).not.toContain('cannot rollback');
    for (const line of logs.split('\n').filter((l) => l.includes('projection batch failed')))
      expect(JSON.parse(line)).toMatchObject({ fault: expect.stringMatching(/^disk_/), retryInMs: expect.any(Number) });
    process.stdout.write(`projection failures logged: ${logs.split('projection batch failed').length - 1}\n`);
    child = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    done = finished(child, 120_000);
    await waitForOutput(child, /ledger listening on/);
    for (const { importId, accepted } of acknowledged) {
      let body: { status?: string; accepted?: number } = {};
      for (let i = 0; i < 300 && body.status !== 'completed'; i++) {
        body = (await (await fetch(`${base}/api/imports/${importId}`, { headers })).json()) as typeof body;
        if (body.status !== 'completed') await sleep(100);
      }
      expect(body).toMatchObject({ status: 'completed', accepted });
    }
    const total = acknowledged.reduce((n, a) => n + a.accepted, 0);
    const program = (await (await fetch(`${base}/api/programs/${programId}`, { headers })).json()) as { seatsInUse: number };
    expect(program.seatsInUse).toBe(total);
    child.kill('SIGTERM');
    await done;
  }, 600_000);
});
