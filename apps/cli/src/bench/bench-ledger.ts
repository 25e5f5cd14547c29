import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig, type LedgerConfig } from '@ledger/platform/config';
import { generateInto } from '../commands/generate';

export interface BenchLedgerNeeds {
  dues?: boolean;
  /** Claims the ledger must hold. */
  claims?: number;
  sp2d?: boolean;
}

/**
 * The ledger a read-side section measures: `ledgerDir` when given (generated there with what
 * the section needs if empty; an existing one gets only the claims and SP2D it lacks, which
 * the generator adds idempotently), else a fresh one in a temporary directory, removed by
 * `dispose`.
 */
export async function benchLedger(
  participants: number,
  ledgerDir: string | undefined,
  say: (line: string) => void,
  needs: BenchLedgerNeeds,
): Promise<{ dir: string; config: LedgerConfig; events: () => number; dispose: () => void }> {
  const dir = ledgerDir ?? mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const config = loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  if (!ledgerDir || !existsSync(join(dir, 'ledger.db'))) {
    say(`  generating ${participants} participants into ${dir} (${JSON.stringify(needs)}) …`);
    await generateInto(config, participants, undefined, 1, needs);
  } else if (needs.claims || needs.sp2d) {
    const added = await generateInto(config, 0, undefined, undefined, {
      claims: needs.claims,
      sp2d: needs.sp2d,
    });
    if (added.claims || added.sp2d)
      say(`  added to ${dir}: ${added.claims} claims, ${added.sp2d} SP2D linked to invoices`);
  }
  const events = () => {
    const counted = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      return (counted.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      counted.close();
    }
  };
  return {
    dir,
    config,
    events,
    dispose: () => {
      if (!ledgerDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
