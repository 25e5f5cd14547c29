import { loadExistingProgram } from '../programs/program.load';
import { fold, type LedgerDeps } from '../shared/command.deps';
import type { TreasuryDocumentKind, TreasuryEvent } from './treasury.events';
import { evolveTreasury, initialTreasuryState, type TreasuryState } from './treasury.state';
import { treasuryStreams } from './treasury.streams';

export async function loadTreasury(deps: Pick<LedgerDeps, 'store'>, programId: string, fiscalYear: number) {
  return fold<TreasuryState, TreasuryEvent>(
    deps.store,
    treasuryStreams.treasury(programId, fiscalYear),
    evolveTreasury,
    initialTreasuryState(),
  );
}

/** The program (or 404) with its owner region, in whose scope treasury documents live. */
export async function loadTreasuryProgram(deps: Pick<LedgerDeps, 'store'>, programId: string) {
  const { program } = await loadExistingProgram(deps, programId);
  return { program, regionCode: program.terms.ownerRegion };
}

export async function isNumberUsed(
  deps: Pick<LedgerDeps, 'store'>,
  regionCode: string,
  fiscalYear: number,
  kind: TreasuryDocumentKind,
  number: string,
): Promise<boolean> {
  const [claimed] = await deps.store.readStream(
    treasuryStreams.number(regionCode, fiscalYear, kind, number),
    {
      maxCount: 1,
    },
  );
  return claimed !== undefined;
}

/** Lookups in flight at once: a PostgreSQL pool serves ten connections, SQLite answers in turn. */
const LOOKUPS_IN_FLIGHT = 8;

/** Of `numbers`, those already taken in the regency and year, looked up a few at a time. */
export async function usedNumbersAmong(
  deps: Pick<LedgerDeps, 'store'>,
  regionCode: string,
  fiscalYear: number,
  kind: TreasuryDocumentKind,
  numbers: readonly string[],
): Promise<Set<string>> {
  const used = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < numbers.length) {
      const number = numbers[next++];
      if (await isNumberUsed(deps, regionCode, fiscalYear, kind, number)) used.add(number);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, numbers.length) }, worker));
  return used;
}
