import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { monthsBetween } from '@ledger/ledger/contributions/obligation';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import type { Lapse } from '@ledger/ledger/contributions/sweep-lapses/sweep-lapses.decider';
import type { PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import type { BackfillRequest } from '@ledger/ledger/shared/backfill';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { LedgerRuntime } from '@ledger/runtime';
import { sweepPrograms } from '@ledger/runtime/commands';
import { seedRoster } from './seed-dues';
import { defaults, seedProgram } from './seed-ledger';

const YEAR = 2025;
const WORKERS = 12;
const LINE = 16_800;

/**
 * The demo's lapse: a year-long program of PALI's Quran teachers and mosque caretakers (2025,
 * twelve workers). The payer pays whole lines in line order, so the last lines are the ones
 * left unpaid: from February the eleventh line is paid late but within its grace (in May), the
 * twelfth not at all. The sweep of 16 May 2025 lapses the twelfth worker with 15 May as the
 * last covered day (the end of February's grace); the eleventh stays covered. June to December
 * are paid in full for the eleven.
 */
export async function seedLapseCase(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  ctx: CommandContext,
  people: PeopleGenerator,
  backfill: BackfillRequest,
): Promise<{ programId: string; lapses: Lapse[] }> {
  const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };
  const { programId } = await seedProgram(
    deps,
    ctx,
    {
      ...defaults,
      name: `Perlindungan Guru Ngaji dan Marbot PALI ${YEAR}`,
      ownerRegion: '1612',
      payer: 'Pemerintah Kabupaten Penukal Abab Lematang Ilir',
      period,
      quota: WORKERS,
      eligibleOccupations: ['guru_ngaji', 'marbot'],
    },
    people,
    {
      villages: regions().villagesOf('1612').slice(0, 4),
      count: WORKERS,
      occupations: ['guru_ngaji', 'marbot'],
    },
    period.from,
    WORKERS,
    { backfill, proposedOn: `${YEAR - 1}-12-15`, approvedOn: `${YEAR - 1}-12-20` },
  );
  const roster = seedRoster(runtime);
  let reference = 0;
  const pay = (month: string, lines: number, paidOn: string) =>
    recordPayment(deps, ctx, `${programId}_${month}`, {
      amount: lines * LINE,
      paidOn,
      reference: `VA-${programId.slice(-8).toUpperCase()}-LAPSE-${++reference}`,
      backfill,
    });
  const issue = (month: string) =>
    issueInvoice(deps, ctx, programId, { month, issuedOn: `${month}-01`, backfill }, roster);

  for (const month of monthsBetween(`${YEAR}-01`, `${YEAR}-05`)) await issue(month);
  await pay(`${YEAR}-01`, WORKERS, `${YEAR}-01-10`);
  for (const [month, late] of [
    [`${YEAR}-02`, `${YEAR}-05-08`],
    [`${YEAR}-03`, `${YEAR}-05-09`],
    [`${YEAR}-04`, `${YEAR}-05-12`],
  ]) {
    await pay(month, WORKERS - 2, `${month}-10`);
    // The eleventh worker's arrears, paid within the grace.
    await pay(month, 1, late);
  }
  await pay(`${YEAR}-05`, WORKERS - 1, `${YEAR}-05-10`);
  await runtime.runner.catchUp();
  const [swept] = await sweepPrograms(runtime, deps, { asOf: `${YEAR}-05-16`, programId });
  // The rest of the year, paid in full by the eleven still covered.
  for (const month of monthsBetween(`${YEAR}-06`, `${YEAR}-12`)) {
    await issue(month);
    await pay(month, WORKERS - 1, `${month}-10`);
  }
  return { programId, lapses: swept.lapses };
}
