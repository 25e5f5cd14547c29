/**
 * The production build: `npm run build` compiles the ledger to dist/, and the compiled API
 * (`npm run start:prod`, no TypeScript hook) serves /health, takes a write and answers a read
 * that waited for its projection thread — which loads compiled code too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { bearer, createProgram } from './support/live-api';
import { finished, freePort, ROOT } from './support/processes';

const BUILD_TIMEOUT_MS = 15 * 60_000;

describe('npm run build && npm run start:prod', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-prod-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'builds dist/ and the compiled API serves reads and writes',
    async () => {
      const build = await finished(
        spawn('npm', ['run', 'build'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }),
        BUILD_TIMEOUT_MS,
      );
      expect({ code: build.code, stderr: build.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(existsSync(join(ROOT, 'dist/apps/api/src/main.js'))).toBe(true);

      const port = await freePort();
      const api = spawn('npm', ['run', 'start:prod'], {
        cwd: ROOT,
        env: { ...process.env, LEDGER_DATA_DIR: join(dir, 'data'), PORT: String(port), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stderr = '';
      api.stderr?.on('data', (d) => (stderr += d));
      const base = `http://127.0.0.1:${port}`;
      try {
        await until(
          async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
          120_000,
          () => stderr,
        );
        // Embedded mode keeps its secrets in the data folder, created at the first start.
        const token = await bearer(loadOrCreateSecrets(join(dir, 'data')).jwtSecret);
        const { programId, consistencyToken } = await createProgram(base, token);
        const read = await fetch(`${base}/api/programs/${programId}?consistentWith=${consistencyToken}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(read.status).toBe(200);
        expect(((await read.json()) as { id: string }).id).toBe(programId);
      } finally {
        // npm runs node as its child: the whole group gets the signal.
        const exited = new Promise((done) => api.once('exit', done));
        process.kill(-api.pid!, 'SIGTERM');
        await exited;
      }
    },
    BUILD_TIMEOUT_MS + 180_000,
  );
});

async function until(check: () => Promise<boolean>, timeoutMs: number, context: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms: ${context()}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}
