import { loadConfig, type LedgerConfig } from '@ledger/platform/config';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { programRows } from '@ledger/read-models/programs/programs.query';
import { regions } from '@ledger/ledger/regions/region-directory';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { CliError } from '../cli-error';
import { stepProgress } from '../progress';
import { generateClaims } from '../seed/generate-claims';
import { generateDues } from '../seed/generate-dues';
import { generateTreasury } from '../seed/generate-treasury';
import { defaults, depsOf, peopleFor, seedContext, seedProgram } from '../seed/seed-ledger';

/** Claims one run may generate at most (each goes through up to five use cases). */
const MAX_CLAIMS = 100_000;

/**
 * `npm run cli -- generate --participants N [--programs K] [--dues] [--claims C] [--sp2d]`: a
 * large ledger for benchmarks, spread over K regencies of every province, built through the
 * import path. `--participants 0` adds only the claims and SP2D to the ledger already there.
 */
export async function generateCommand(values: {
  participants?: string;
  programs?: string;
  seed?: string;
  dues?: boolean;
  claims?: string;
  sp2d?: boolean;
}): Promise<void> {
  const participants = Number(values.participants);
  const claims = Number(values.claims ?? 0);
  if (!Number.isInteger(claims) || claims < 0 || claims > MAX_CLAIMS) {
    throw new CliError(
      `generate: --claims must be a whole number from 0 to ${MAX_CLAIMS.toLocaleString('en')}`,
    );
  }
  const addsOnly = participants === 0 && (claims > 0 || values.sp2d === true);
  if (!addsOnly && (!Number.isInteger(participants) || participants < 1 || participants > 10_000_000)) {
    throw new CliError(
      'generate: --participants must be a whole number from 1 to 10,000,000 (or 0 with --claims or --sp2d)',
    );
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
    { dues: values.dues ?? false, claims, sp2d: values.sp2d ?? false },
  );
  const seconds = (performance.now() - started) / 1000;
  const dues = values.dues ? `, with ${covered.invoices} invoices and ${covered.payments} payments` : '';
  const extras = `${claims > 0 ? `, ${covered.claims} claims` : ''}${values.sp2d ? `, ${covered.sp2d} SP2D linked to invoices` : ''}`;
  process.stdout.write(
    `generated ${covered.participants} covered participants in ${addsOnly ? 0 : programs} programs${dues}${extras} in ${seconds.toFixed(1)} s\n`,
  );
}

/**
 * Builds `participants` covered participants in `programs` programs (default: one per 10,000);
 * with `dues`, each program's monthly invoices and payments of its year up to last month; with
 * `claims`, that many claims in the ledger; with `sp2d`, every program's SPP, SPM and SP2D
 * for each invoice of the year (see `generateTreasury`).
 */
export async function generateInto(
  config: LedgerConfig,
  participants: number,
  programs?: number,
  seedValue?: number,
  options: { dues?: boolean; claims?: number; sp2d?: boolean } = {},
): Promise<{ participants: number; invoices: number; payments: number; claims: number; sp2d: number }> {
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
      for (let p = 0; p < (participants > 0 ? count : 0); p++) {
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
    const extras = await generateExtras(runtime, deps, options, { seed, today });
    process.stderr.write('  catching up read models…\n');
    await runtime.runner.catchUp();
    return { participants: covered, invoices, payments, ...extras };
  } finally {
    await runtime.close();
  }
}

/** The claims and the treasury documents of `generateInto`, over every program of the ledger. */
async function generateExtras(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  options: { claims?: number; sp2d?: boolean },
  at: { seed: number; today: IsoDate },
): Promise<{ claims: number; sp2d: number }> {
  let sp2d = 0;
  if (options.sp2d) {
    await runtime.runner.catchUp();
    const programs = await programRows(runtime.read.query);
    const progress = stepProgress(programs.length, 'programs with SP2D');
    try {
      for (const [i, p] of programs.entries()) {
        sp2d += (
          await generateTreasury(
            runtime,
            deps,
            { id: p.id, ownerRegion: p.owner_region },
            Number(at.today.slice(0, 4)),
          )
        ).sp2d;
        progress.update(i + 1, `${sp2d} SP2D`);
      }
    } finally {
      progress.stop();
    }
  }
  const claims = options.claims
    ? (await generateClaims(runtime, deps, peopleFor(at.seed + 1, at.today), options.claims, at.today)).claims
    : 0;
  return { claims, sp2d };
}
