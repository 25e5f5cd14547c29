import { join } from 'node:path';
import { mulberry32 } from '@ledger/ledger/participants/synthetic-people';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { signToken } from '@ledger/platform/auth/jwt';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { createApp } from '../../../api/src/create-app';
import { benchLedger } from './bench-ledger';
import { latencyMeter, rawSqliteReadRate, type LatencyResult } from './latency';

export interface ClaimsBench {
  events: number;
  claims: number;
  /** Bare-driver read of every row of the claims read model, same run. */
  rawReadRowsPerSecond: number;
  latencies: LatencyResult[];
}

/**
 * `bench --only claims`, embedded mode: the claims report (GET /api/claims/report) on a ledger
 * holding `claims` claims (added through the claim use cases when it holds fewer), for a
 * random province, regency, district or village, with and without a year, a kind and a
 * program — each p95 beside the stack's own (GET /health/live) of the same run.
 */
export async function runClaimsBench(
  participants: number,
  claims: number,
  ledgerDir: string | undefined,
  say: (line: string) => void,
): Promise<ClaimsBench> {
  const ledger = await benchLedger(participants, ledgerDir, say, { dues: true, claims });
  let runtime: LedgerRuntime | undefined;
  try {
    runtime = await openRuntime(ledger.config, { projections: ledgerProjections() });
    await runtime.runner.catchUp();
    const db = runtime.read.query;
    const held = Number(
      (
        await db
          .selectFrom('claims')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const rawReadRowsPerSecond = rawSqliteReadRate(join(ledger.dir, 'read.db'), 'claims');
    say(
      `  claims: ${held} in the read model; raw SQLite read of them (bare driver): ${rawReadRowsPerSecond} rows/s`,
    );
    const villages = (
      await db.selectFrom('claims').select('village_code').distinct().limit(5000).execute()
    ).map((r) => r.village_code);
    const programs = (await db.selectFrom('claims').select('program_id').distinct().execute()).map(
      (r) => r.program_id,
    );
    if (villages.length === 0) {
      say('  claims: none in the ledger; not measured');
      return { events: ledger.events(), claims: held, rawReadRowsPerSecond, latencies: [] };
    }
    const app = await createApp(runtime);
    await app.init();
    try {
      const http = app.getHttpAdapter().getInstance();
      const token = await signToken(runtime.secrets.jwtSecret, {
        sub: 'bench',
        role: 'auditor',
        regions: ['ID'],
        ttlSeconds: 3600,
      });
      const { measure, baseline } = await latencyMeter(http, { authorization: `Bearer ${token}` }, say);
      const random = mulberry32(17);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
      const year = todayInIndonesia(new Date()).slice(0, 4);
      const region = () => pick(villages).slice(0, pick([2, 2, 4, 4, 6, 10]));
      const latencies = [
        baseline,
        await measure(
          'claims report (a random province, regency, district or village)',
          'p95 ≤ 20 ms',
          300,
          () => {
            return `/api/claims/report?region=${region()}`;
          },
        ),
        await measure(
          'claims report (a region, a year, sometimes a kind or a program)',
          'p95 ≤ 20 ms',
          300,
          () => {
            const narrowed = random();
            const extra =
              narrowed < 0.3
                ? `&kind=${pick(['JKM', 'JKK'])}`
                : narrowed < 0.5
                  ? `&program=${pick(programs)}`
                  : '';
            return `/api/claims/report?region=${region()}&year=${year}${extra}`;
          },
        ),
      ];
      return { events: ledger.events(), claims: held, rawReadRowsPerSecond, latencies };
    } finally {
      await app.close();
    }
  } finally {
    await runtime?.close();
    ledger.dispose();
  }
}
