import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLedgerApp, type LedgerApp } from './support/ledger-app';

/**
 * The OpenAPI document report builders generate their clients from: it lints clean under
 * Redocly's recommended rules, and declares what every operation shares (problem details,
 * request ids, idempotency keys, consistency tokens, ETags).
 */
describe('the OpenAPI contract', () => {
  let ledger: LedgerApp;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let document: any;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const documentFile = join(dir, 'openapi.json');

  beforeAll(async () => {
    ledger = await startLedgerApp('sqlite');
    const response = await ledger.get('/docs-json');
    expect(response.status).toBe(200);
    document = response.body;
    writeFileSync(documentFile, JSON.stringify(document));
  });
  afterAll(async () => {
    await ledger?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lints with no error under Redocly’s recommended rules', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'support/openapi-lint.mjs'), documentFile],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const problems = JSON.parse(stdout) as {
      severity: string;
      ruleId: string;
      message: string;
      at: string;
    }[];
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.at}`),
    ).toEqual([]);
  });
});
