import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_LOG = join(__dirname, '../../../../tmp/skipped-suites.log');

/**
 * `describe` when the suite's backing service is reachable; otherwise one visible line
 * says which suite did not run and why (also collected for the end-of-run summary).
 * When LEDGER_REQUIRE_SUITES names the suite (CI does this for PostgreSQL), an
 * unreachable service fails the run instead of skipping.
 */
export function describeIfAvailable(
  suite: string,
  unavailableReason: string | undefined,
  body: () => void,
): void {
  if (!unavailableReason) {
    describe(suite, body);
    return;
  }
  const required = (process.env.LEDGER_REQUIRE_SUITES ?? '').split(',').map((s) => s.trim().toLowerCase());
  const key = suite.split(' ')[0].toLowerCase();
  if (required.includes(key)) {
    describe(suite, () => {
      it('is required in this run', () => {
        throw new Error(`${suite} is required (LEDGER_REQUIRE_SUITES) but cannot run: ${unavailableReason}`);
      });
    });
    return;
  }
  const line = `NOT RUN: ${suite} — ${unavailableReason}`;
  process.stderr.write(`\n${line}\n`);
  try {
    mkdirSync(join(SKIP_LOG, '..'), { recursive: true });
    appendFileSync(SKIP_LOG, `${line}\n`);
  } catch {
    // The summary is a convenience; the line above already said it.
  }
  describe.skip(suite, body);
}
