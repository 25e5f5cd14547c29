import type { LedgerRuntime } from '@ledger/runtime';
import {
  approveEnrollments,
  importedEnrollments,
} from '@ledger/ledger/enrollment/import/approve/approve-import.handler';
import { importNominations } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import type { ProgramTermsInput } from '@ledger/ledger/programs/program.state';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { setBaseline } from '@ledger/ledger/baselines/set/set-baseline.handler';
import type { WorkforceBaseline } from '@ledger/ledger/baselines/baseline.events';
import { createPeopleGenerator, type PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type CommandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { BackfillRequest } from '@ledger/ledger/shared/backfill';
import type { Occupation } from '@ledger/ledger/shared/occupations';

/**
 * Builds ledgers through the same code paths as the API: programs are established by the
 * program handler, workers arrive as nomination lists (CSV) through the import handler and
 * are approved as a batch. Only the HTTP layer is skipped.
 */
export function depsOf(runtime: LedgerRuntime): LedgerDeps {
  return {
    store: runtime.store,
    keys: runtime.keys,
    nikHmacKey: runtime.secrets.nikHmacKey,
    regions: regions(),
  };
}

export function seedContext(id = 'seed'): CommandContext {
  return commandContext({ id, role: 'program_admin', region: 'ID' });
}

export interface Cohort {
  /** Villages the workers live in, filled round-robin. */
  villages: string[];
  count: number;
  occupations?: Occupation[];
}

const HEADER = 'NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pekerjaan;Kode Desa;No HP';

/** A nomination list as a village operator would upload it (semicolon CSV, Indonesian headers, D/M/Y dates). */
export function nominationCsv(people: PeopleGenerator, cohort: Cohort, offset = 0): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < cohort.count; i++) {
    const occupation = cohort.occupations?.[(offset + i) % cohort.occupations.length];
    const p = people.next({
      villageCode: cohort.villages[(offset + i) % cohort.villages.length],
      occupation,
    });
    const [y, m, d] = p.birthDate.split('-');
    lines.push([p.nik, p.name, p.sex, `${d}/${m}/${y}`, p.occupation, p.villageCode, p.phone].join(';'));
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

export async function seedProgram(
  deps: LedgerDeps,
  ctx: CommandContext,
  terms: ProgramTermsInput,
  people: PeopleGenerator,
  cohort: Cohort,
  coverageFrom: string,
  fileRows = 20_000,
  /**
   * Seeded programs are earlier records brought in: when their dates lie in the past they
   * are recorded as a migration (a reason given for a fact that is not past is not recorded),
   * with the days the lists were proposed and approved when they are known.
   */
  past: { backfill?: BackfillRequest; proposedOn?: string; approvedOn?: string } = {},
) {
  const backfill = past.backfill ?? { reason: 'migration' as const, note: null };
  const { programId } = await establishProgram(deps, ctx, terms, backfill);
  let accepted = 0;
  let approved = 0;
  for (let offset = 0; offset < cohort.count; offset += fileRows) {
    const content = nominationCsv(
      people,
      { ...cohort, count: Math.min(fileRows, cohort.count - offset) },
      offset,
    );
    const summary = await importNominations(
      deps,
      ctx,
      programId,
      {
        content,
        fileName: `usulan-${programId.slice(0, 8)}-${offset}.csv`,
        contentType: 'text/csv',
      },
      { dates: { coverageFrom, proposedOn: past.proposedOn, backfill } },
    );
    accepted += summary.accepted;
    const { enrollmentIds } = await importedEnrollments(deps, summary.importId);
    approved += (
      await approveEnrollments(deps, ctx, enrollmentIds, coverageFrom, summary.importId, {
        approvedOn: past.approvedOn,
        backfill,
      })
    ).approved;
  }
  return { programId, accepted, approved };
}

export const defaults = {
  fundingSource: 'APBD' as const,
  benefitPackage: 'JKK_JKM' as const,
  declaredIncome: 1_000_000,
  ageCap: 65,
  eligibleOccupations: null,
  budgetCeiling: null,
};

export async function seedBaseline(deps: LedgerDeps, ctx: CommandContext, baseline: WorkforceBaseline) {
  await setBaseline(deps, ctx, baseline);
}

export const peopleFor = (seed: number, today: string) => createPeopleGenerator({ seed, today });
