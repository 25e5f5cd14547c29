import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { seedStatement } from '../seed/seed-statement';
import { ledgerProjections } from '@ledger/read-models/projections';
import { regions } from '@ledger/ledger/regions/region-directory';
import { CliError, table } from '../cli-error';
import { seedClaims } from '../seed/seed-claims';
import { seedLapseCase } from '../seed/seed-lapse';
import type { PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { seedDues, seedRoster, type MonthPayment } from '../seed/seed-dues';
import { DEMO_TREASURY, LAPSE_PROGRAM } from '../seed/demo-treasury';
import { seedTreasury } from '../seed/seed-treasury';
import { defaults, depsOf, peopleFor, seedBaseline, seedContext, seedProgram } from '../seed/seed-ledger';

const VILLAGE_APPARATUS = [
  'kepala_desa',
  'perangkat_desa',
  'perangkat_desa',
  'perangkat_desa',
  'bpd',
  'linmas',
  'ketua_rt_rw',
] as const;

/** The programs as the regional news reported them: October–December 2025. */
export const YEAR = 2025;
export const PERIOD = { from: `${YEAR}-10-01`, to: `${YEAR}-12-31` };
/** The lists were proposed and approved in September 2025, as a migration of those records. */
export const MIGRATION = {
  backfill: { reason: 'migration' as const, note: 'Program Oktober–Desember 2025 (berita daerah)' },
  proposedOn: `${YEAR}-09-15`,
  approvedOn: `${YEAR}-09-25`,
};
export const FILE_ROWS = 20_000;
export const MONTHS = [`${YEAR}-10`, `${YEAR}-11`, `${YEAR}-12`];

/** Paid in full before the due date (the 10th is before the 15th moved to a working day). */
const onTime = (month: string): MonthPayment => ({ month, share: 1, paidOn: `${month}-10` });
/**
 * How each program paid its three months: most in full and on time; Muara Enim's village
 * apparatus paid December a month late (its SP2D came in January); Sarolangun paid half of
 * December.
 */
export const PAYMENTS: Record<string, MonthPayment[]> = {
  'Satu Nagari 100 Pekerja Rentan, Sijunjung': MONTHS.map(onTime),
  'Aparatur Desa, Muara Enim': [
    onTime(MONTHS[0]),
    onTime(MONTHS[1]),
    // No SP2D named: a payment may name only an SP2D the treasury recorded.
    { month: MONTHS[2], share: 1, paidOn: `${YEAR + 1}-01-14` },
  ],
  'Petani Sawit, Muara Enim': MONTHS.map(onTime),
  'Pekerja Rentan, Sarolangun': [
    onTime(MONTHS[0]),
    onTime(MONTHS[1]),
    { month: MONTHS[2], share: 0.5, paidOn: `${YEAR}-12-12` },
  ],
  'Pekerja Informal, PALI': MONTHS.map(onTime),
};

/**
 * The two Muara Enim programs of the demo: 24,651 village apparatus and 2,124 palm-oil farmers,
 * 26,775 workers covered October–December 2025 (the figure its contributions are checked by).
 */
export async function seedMuaraEnim(deps: LedgerDeps, ctx: CommandContext, people: PeopleGenerator) {
  const muaraEnim = regions().villagesOf('1603');
  const programs = [
    {
      label: 'Aparatur Desa, Muara Enim',
      terms: {
        ...defaults,
        name: `Perlindungan Aparatur Desa Muara Enim ${YEAR}`,
        ownerRegion: '1603',
        payer: 'Pemerintah Kabupaten Muara Enim',
        period: PERIOD,
        quota: 24_651,
        eligibleOccupations: [...new Set(VILLAGE_APPARATUS)],
      },
      cohort: { villages: muaraEnim, count: 24_651, occupations: [...VILLAGE_APPARATUS] },
    },
    {
      label: 'Petani Sawit, Muara Enim',
      terms: {
        ...defaults,
        name: `Perlindungan Petani Sawit Muara Enim ${YEAR}`,
        ownerRegion: '1603',
        payer: 'Pemerintah Kabupaten Muara Enim',
        fundingSource: 'DBHCHT' as const,
        period: PERIOD,
        quota: 2_124,
        eligibleOccupations: ['petani_sawit' as const],
      },
      cohort: { villages: muaraEnim, count: 2_124, occupations: ['petani_sawit' as const] },
    },
  ];
  const seeded = [];
  for (const { label, terms, cohort } of programs) {
    const r = await seedProgram(deps, ctx, terms, people, cohort, PERIOD.from, FILE_ROWS, MIGRATION);
    seeded.push({ label, ...r });
  }
  return seeded;
}

/**
 * `npm run demo`: the four regencies of the domain notes, with synthetic people (valid NIKs
 * from real district codes), loaded into an empty embedded ledger through the real import path.
 * The programs ran October–December 2025 and are recorded now, so every one of them is a
 * backfill with the reason `migration`: lists imported and approved with coverage from
 * 1 October 2025, so coverage, summaries and histories for 2025 dates show them.
 */
export async function demoCommand(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store) });
  try {
    if ((await runtime.store.headPosition()) > 0) {
      throw new CliError(
        `the ledger in ${config.dataDir} is not empty; run the demo with a fresh LEDGER_DATA_DIR`,
      );
    }
    const deps = depsOf(runtime);
    const ctx = seedContext('demo');
    const year = YEAR;
    // Ages are drawn as of the coverage start, where the age cap is checked.
    const people = peopleFor(2026, PERIOD.from);
    const villages = (regency: string) => regions().villagesOf(regency);
    const started = performance.now();
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const results: Record<string, unknown>[] = [];
    const run = async (
      label: string,
      work: () => Promise<{ programId: string; accepted: number; approved: number }>,
    ) => {
      const t = performance.now();
      const r = await work();
      say(`  ${label}: ${r.approved} workers covered (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      results.push({ program: label, programId: r.programId, proposed: r.accepted, covered: r.approved });
    };

    say('demo: Sijunjung (1303) — satu nagari 100 pekerja rentan');
    const sijunjung = villages('1303');
    await run('Satu Nagari 100 Pekerja Rentan, Sijunjung', () =>
      seedProgram(
        deps,
        ctx,
        {
          ...defaults,
          name: `Satu Nagari 100 Pekerja Rentan ${year}`,
          ownerRegion: '1303',
          payer: 'Pemerintah Kabupaten Sijunjung',
          period: PERIOD,
          quota: sijunjung.length * 100,
        },
        people,
        { villages: sijunjung, count: sijunjung.length * 100 },
        PERIOD.from,
        FILE_ROWS,
        MIGRATION,
      ),
    );
    await seedBaseline(deps, ctx, {
      regionCode: '1303',
      year,
      workingPopulation: 77_100,
      informalWorkers: null,
      vulnerableWorkers: 48_838,
      source: 'Disnaker Kab. Sijunjung (berita daerah)',
    });

    say('demo: Muara Enim (1603) — aparatur desa and petani sawit, Oktober–Desember');
    for (const seeded of await seedMuaraEnim(deps, ctx, people)) {
      say(`  ${seeded.label}: ${seeded.approved} workers covered`);
      results.push({
        program: seeded.label,
        programId: seeded.programId,
        proposed: seeded.accepted,
        covered: seeded.approved,
      });
    }
    await seedBaseline(deps, ctx, {
      regionCode: '1603',
      year,
      workingPopulation: 93_000,
      informalWorkers: null,
      vulnerableWorkers: null,
      source: 'Disnaker Kab. Muara Enim (berita daerah)',
    });

    say('demo: Sarolangun (1503)');
    await run('Pekerja Rentan, Sarolangun', () =>
      seedProgram(
        deps,
        ctx,
        {
          ...defaults,
          name: `Perlindungan Pekerja Rentan Sarolangun ${year}`,
          ownerRegion: '1503',
          payer: 'Pemerintah Kabupaten Sarolangun',
          period: PERIOD,
          quota: 27_214,
        },
        people,
        { villages: villages('1503'), count: 27_214 },
        PERIOD.from,
        FILE_ROWS,
        MIGRATION,
      ),
    );
    await seedBaseline(deps, ctx, {
      regionCode: '1503',
      year,
      workingPopulation: 136_619,
      informalWorkers: null,
      vulnerableWorkers: 92_656,
      source: 'Disnaker Kab. Sarolangun (berita daerah)',
    });

    say('demo: Penukal Abab Lematang Ilir (1612)');
    await run('Pekerja Informal, PALI', () =>
      seedProgram(
        deps,
        ctx,
        {
          ...defaults,
          name: `Perlindungan Pekerja Informal PALI ${year}`,
          ownerRegion: '1612',
          payer: 'Pemerintah Kabupaten Penukal Abab Lematang Ilir',
          period: PERIOD,
          quota: 10_000,
        },
        people,
        { villages: villages('1612'), count: 10_000 },
        PERIOD.from,
        FILE_ROWS,
        MIGRATION,
      ),
    );

    say('demo: tagihan dan pembayaran Oktober–Desember');
    // The rosters are read from the read models: they first catch up with the lists loaded above.
    await runtime.runner.catchUp();
    const duesStarted = performance.now();
    const roster = seedRoster(runtime);
    const invoices: Record<string, unknown>[] = [];
    for (const { program, programId } of results as { program: string; programId: string }[]) {
      const seeded = await seedDues(
        deps,
        ctx,
        roster,
        programId,
        MONTHS,
        PAYMENTS[program] ?? [],
        MIGRATION.backfill,
      );
      for (const invoice of seeded) {
        invoices.push({ program, ...invoice, outstanding: Math.max(0, invoice.totalAmount - invoice.paid) });
      }
    }

    say(
      `  ${invoices.length} invoices issued and paid (${((performance.now() - duesStarted) / 1000).toFixed(1)} s)`,
    );

    say('demo: iuran menunggak — Guru Ngaji dan Marbot PALI 2025, the sweep of 16 May 2025');
    const lapse = await seedLapseCase(runtime, deps, ctx, people, MIGRATION.backfill);
    const lapses = lapse.lapses.map((l) => ({
      programId: lapse.programId,
      enrollmentId: l.enrollmentId,
      coveredUntil: l.lastCoveredDay,
      unpaid: l.unpaidMonths.join(', '),
    }));

    say('demo: klaim JKM dan JKK di empat kabupaten (ahli waris sintetis)');
    const programOf = (label: string) =>
      (results as { program: string; programId: string }[]).find((r) => r.program === label)!.programId;
    const claims = await seedClaims(
      runtime,
      deps,
      ctx,
      // Heirs drawn apart from the participants, so the lists above stay as they were.
      peopleFor(2027, '2025-12-31'),
      {
        sijunjung: programOf('Satu Nagari 100 Pekerja Rentan, Sijunjung'),
        muaraEnim: programOf('Petani Sawit, Muara Enim'),
        sarolangun: programOf('Pekerja Rentan, Sarolangun'),
        pali: programOf('Pekerja Informal, PALI'),
      },
      lapse.lapses[0]?.enrollmentId,
      MIGRATION.backfill,
    );

    say('demo: anggaran, SPP/SPM/SP2D dan tagihan BPJS; satu selisih rekonsiliasi tiap jenis');
    const treasury = await seedTreasury(
      deps,
      ctx,
      Object.entries(DEMO_TREASURY).map(([label, t]) => ({
        label,
        programId: label === LAPSE_PROGRAM ? lapse.programId : programOf(label),
        ...t,
      })),
      // The person BPJS billed by mistake: drawn apart, so the lists above stay as they were.
      peopleFor(2028, '2025-12-31').next({ villageCode: villages('1612')[0] }).nik,
    );

    say('demo: berita acara rekonsiliasi Oktober, Sijunjung');
    const statement = await seedStatement(
      runtime,
      deps,
      ctx,
      programOf('Satu Nagari 100 Pekerja Rentan, Sijunjung'),
      MONTHS[0],
      `${YEAR}-11-10`,
    );
    say(`  ${statement.statementId}: ${statement.differences} selisih dibekukan`);

    await runtime.runner.catchUp();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `${table(results)}\n\n${table(invoices)}\n\n${table(lapses)}\n\n${table(claims)}\n\n${table(treasury)}\n\ndemo loaded in ${seconds} s into ${config.dataDir}; start the API with npm start\n`,
    );
  } finally {
    await runtime.close();
  }
}
