import { loadConfig, type LedgerConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { regions } from '@ledger/ledger/regions/region-directory';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { CliError } from '../cli-error';
import { stepProgress } from '../progress';
import { generateDues } from '../seed/generate-dues';
import { defaults, depsOf, peopleFor, seedContext, seedProgram } from '../seed/seed-ledger';

/**
 * `npm run cli -- generate --participants N [--programs K]`: a large ledger for benchmarks,
 * spread over K regencies of every province, built through the import path.
 */
export async function generateCommand(values: {
  participants?: string;
  programs?: string;
  seed?: string;
  dues?: boolean;
}): Promise<void> {
  const participants = Number(values.participants);
  if (!Number.isInteger(participants) || participants < 1 || participants > 10_000_000) {
    throw new CliError('generate: --participants must be a whole number from 1 to 10,000,000');
  }
  const regencies = regions().codes('regency');
  const programs = Number(
    values.programs ?? Math.max(1, Math.min(regencies.length, Math.ceil(participants / 10_000))),
  );
  if (!Number.isInteger(programs) || programs < 1 || programs > regencies.length) {
    throw new CliError(`generate: --programs must be from 1 to ${regencies.length}`);
  }
  const started = performance.now();
  const covered = await generateInto(
    loadConfig(),
    participants,
    programs,
    values.seed ? Number(values.seed) : undefined,
    { dues: values.dues ?? false },
  );
  const seconds = (performance.now() - started) / 1000;
  const dues = values.dues ? `, with ${covered.invoices} invoices and ${covered.payments} payments` : '';
  process.stdout.write(
    `generated ${covered.participants} covered participants in ${programs} programs${dues} in ${seconds.toFixed(1)} s\n`,
  );
}

/**
 * Builds `participants` covered participants in `programs` programs (default: one per 10,000);
 * with `dues`, each program's monthly invoices and payments of its year up to last month.
 */
export async function generateInto(
  config: LedgerConfig,
  participants: number,
  programs?: number,
  seedValue?: number,
  options: { dues?: boolean } = {},
): Promise<{ participants: number; invoices: number; payments: number }> {
  const directory = regions();
  const regencies = directory.codes('regency');
  const count = programs ?? Math.max(1, Math.min(regencies.length, Math.ceil(participants / 10_000)));
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store) });
  try {
    const deps = depsOf(runtime);
    const ctx = seedContext('generator');
    const today = todayInIndonesia(new Date());
    const year = Number(today.slice(0, 4));
    // A different seed for every run on the same ledger keeps the NIKs of two runs apart.
    const seed = seedValue ?? (await runtime.store.headPosition()) + participants;
    const people = peopleFor(seed, today);
    const started = performance.now();
    const progress = stepProgress(count, 'programs');
    let covered = 0;
    const generated: { id: string; periodFrom: string; periodTo: string }[] = [];
    try {
      for (let p = 0; p < count; p++) {
        const regency = regencies[Math.floor((p * regencies.length) / count)];
        const size = Math.floor(participants / count) + (p < participants % count ? 1 : 0);
        const name = directory.get(regency)!.name;
        const result = await seedProgram(
          deps,
          ctx,
          {
            ...defaults,
            name: `Perlindungan Pekerja Rentan ${name} ${year} (${seed}-${p})`,
            ownerRegion: regency,
            payer: `Pemerintah ${name}`,
            period: { from: `${year}-01-01`, to: `${year}-12-31` },
            quota: size,
          },
          people,
          { villages: directory.villagesOf(regency), count: size },
          `${year}-01-01`,
        );
        covered += result.approved;
        generated.push({ id: result.programId, periodFrom: `${year}-01-01`, periodTo: `${year}-12-31` });
        const elapsed = (performance.now() - started) / 1000;
        progress.update(p + 1, `${covered} participants covered, ${Math.round(covered / elapsed)}/s`);
      }
    } finally {
      progress.stop();
    }
    let invoices = 0;
    let payments = 0;
    if (options.dues) {
      const duesProgress = stepProgress(generated.length, 'programs invoiced');
      try {
        for (const [i, program] of generated.entries()) {
          const done = await generateDues(runtime, deps, ctx, program, today);
          invoices += done.invoices;
          payments += done.payments;
          duesProgress.update(i + 1, `${invoices} invoices, ${payments} payments`);
        }
      } finally {
        duesProgress.stop();
      }
    }
    process.stderr.write('  catching up read models…\n');
    await runtime.runner.catchUp();
    return { participants: covered, invoices, payments };
  } finally {
    await runtime.close();
  }
}
