import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signToken } from '@ledger/platform/auth/jwt';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { mulberry32 } from '@ledger/ledger/participants/synthetic-people';
import { createApp } from '../../../api/src/create-app';
import { generateInto } from '../commands/generate';
import { latencyMeter, type LatencyResult } from './latency';

export type { LatencyResult } from './latency';

/**
 * Read-side figures on a generated ledger in embedded mode: coverage, ranking and history
 * latencies through the HTTP stack (in-process injection, no network), a full rebuild of
 * every read model, and the raw SQLite read rate of the same machine in the same run.
 */
export async function runQueryBench(
  participants: number,
  ledgerDir: string | undefined,
  say: (line: string) => void,
  options: { rebuild?: boolean } = {},
): Promise<{
  latencies: LatencyResult[];
  /** Null when the rebuild was left out (`--no-rebuild`). */
  rebuild: { eventsPerSecond: number; rawReadRowsPerSecond: number } | null;
  events: number;
}> {
  const dir = ledgerDir ?? mkdtempSync(join(tmpdir(), 'ledger-query-bench-'));
  const fresh = !ledgerDir || !existsSync(join(dir, 'ledger.db'));
  const config = loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  let runtime: LedgerRuntime | undefined;
  try {
    if (fresh) {
      say(`  generating ${participants} participants into ${dir} …`);
      await generateInto(config, participants, undefined, 1);
    }
    runtime = await openRuntime(config, { projections: ledgerProjections() });
    await runtime.runner.catchUp();
    const app = await createApp(runtime);
    await app.init();
    const http = app.getHttpAdapter().getInstance();
    const token = await signToken(runtime.secrets.jwtSecret, {
      sub: 'bench',
      role: 'auditor',
      regions: ['ID'],
      ttlSeconds: 3600,
    });
    const headers = { authorization: `Bearer ${token}` };
    const random = mulberry32(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const today = todayInIndonesia(new Date());
    const year = Number(today.slice(0, 4));
    const dates = [`${year}-01-31`, `${year}-03-15`, `${year}-06-30`, `${year}-09-01`, today];

    // Regions that hold participants, at every level.
    const villages = (
      await runtime.read.query
        .selectFrom('participants')
        .select('village_code')
        .distinct()
        .limit(5000)
        .execute()
    ).map((r) => r.village_code as string);
    const levels = [
      () => 'ID',
      () => pick(villages).slice(0, 2),
      () => pick(villages).slice(0, 4),
      () => pick(villages).slice(0, 6),
      () => pick(villages),
    ];
    const participantIds = (
      await runtime.read.query.selectFrom('participants').select('id').limit(20_000).execute()
    ).map((r) => r.id as string);

    const head = await runtime.store.headPosition();
    const knownAt = () => 1 + Math.floor(random() * head);
    const knownSince = (
      await runtime.read.query
        .selectFrom('enrollments')
        .select(['participant_id', 'updated_position'])
        .limit(20_000)
        .execute()
    ).map((r) => ({ id: r.participant_id, from: Number(r.updated_position) }));

    const { measure, baseline } = await latencyMeter(http, headers, say);
    const latencies = [
      baseline,
      await measure('coverage (random region and level, random date)', 'p95 ≤ 20 ms', 300, () => {
        const region = pick(levels)();
        return `/api/coverage?region=${region}&date=${pick(dates)}`;
      }),
      await measure(
        'rankings (provinces, regencies of a province, villages of a regency)',
        'p95 ≤ 20 ms',
        150,
        () => {
          const kind = random();
          if (kind < 0.2) return `/api/rankings?date=${pick(dates)}`;
          if (kind < 0.6) return `/api/rankings?province=${pick(villages).slice(0, 2)}&date=${pick(dates)}`;
          return `/api/rankings?regency=${pick(villages).slice(0, 4)}&date=${pick(dates)}`;
        },
      ),
      // As the ledger knew it at a random position of its log: the buckets below it and the
      // events of its own bucket, read from the log.
      await measure('coverage with knownAt (random position of the log)', 'p95 ≤ 100 ms', 300, () => {
        const region = pick(levels)();
        return `/api/coverage?region=${region}&date=${pick(dates)}&knownAt=${knownAt()}`;
      }),
      await measure('rankings with knownAt (random position of the log)', 'p95 ≤ 100 ms', 150, () => {
        const kind = random();
        const at = `date=${pick(dates)}&knownAt=${knownAt()}`;
        if (kind < 0.2) return `/api/rankings?${at}`;
        if (kind < 0.6) return `/api/rankings?province=${pick(villages).slice(0, 2)}&${at}`;
        return `/api/rankings?regency=${pick(villages).slice(0, 4)}&${at}`;
      }),
      await measure(
        'participant history',
        'p95 ≤ 5 ms',
        500,
        () => `/api/participants/${pick(participantIds)}/history`,
      ),
      await measure('participant history, knownAt a log position, asOf a date', 'p95 ≤ 10 ms', 500, () => {
        // A position at or after the enrollment's last event, so the person is known then.
        const { id, from } = pick(knownSince);
        const knownAt = from + Math.floor(random() * (head - from + 1));
        return `/api/participants/${id}/history?knownAt=${knownAt}&asOf=${pick(dates)}`;
      }),
    ];
    await app.close();

    // Read models skip the event types they do not handle (the log is filtered by type), so
    // the rebuild is measured against the whole log: the same rows the raw read below decodes.
    const counted = new Database(join(dir, 'ledger.db'), { readonly: true });
    const events = (counted.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    counted.close();
    if (options.rebuild === false) {
      say(`  rebuild of the ${events} events not measured (--no-rebuild)`);
      return { latencies, rebuild: null, events };
    }
    say(`  rebuilding every read model from a log of ${events} events …`);
    const started = performance.now();
    const rebuilt = await runtime.runner.rebuildMany(runtime.runner.projections.map((p) => p.name));
    const rebuildSeconds = (performance.now() - started) / 1000;
    const rebuildEventsPerSecond = Math.round(events / rebuildSeconds);
    say(
      `  full rebuild: ${events} events of the log (${rebuilt.events} of them of the types the read models read) ` +
        `in ${rebuildSeconds.toFixed(1)} s on ${rebuilt.threads} thread${rebuilt.threads > 1 ? 's' : ''} ` +
        `= ${rebuildEventsPerSecond} events of the log per second`,
    );

    // What the buckets of `knownAt` cost a rebuild, beside the plain coverage deltas.
    for (const name of ['coverage', 'coverage_known']) {
      const alone = performance.now();
      await runtime.runner.rebuildMany([name]);
      say(`  rebuild of ${name} alone: ${((performance.now() - alone) / 1000).toFixed(1)} s`);
    }

    const raw = new Database(join(dir, 'ledger.db'), { readonly: true });
    const rawStarted = performance.now();
    let rows = 0;
    for (const row of raw.prepare('SELECT * FROM events').iterate() as Iterable<{
      data: string;
      metadata: string;
    }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      rows += 1;
    }
    const rawReadRowsPerSecond = Math.round(rows / ((performance.now() - rawStarted) / 1000));
    raw.close();
    say(`  raw SQLite read of the same log (rows decoded): ${rawReadRowsPerSecond} rows/s`);
    return { latencies, rebuild: { eventsPerSecond: rebuildEventsPerSecond, rawReadRowsPerSecond }, events };
  } finally {
    await runtime?.close();
    if (!ledgerDir) rmSync(dir, { recursive: true, force: true });
  }
}
