import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SqliteEventStore, type EventStore, type NewEvent } from '@ledger/event-store';
import {
  CheckpointSigner,
  IntegrityService,
  SqliteTreeStore,
  leafSourceOf,
  parseVerifierKey,
  sqliteRawLog,
  verifyLog,
} from '@ledger/integrity';
import type { BenchResult } from './store-bench';

export interface IntegrityBench {
  results: BenchResult[];
  latencies: { workload: string; requests: number; p50Ms: number; p95Ms: number; target: string }[];
  verify: {
    events: number;
    threads: number;
    seconds: number;
    eventsPerSecond: number;
    /** CPU time of the whole process (every thread): what the pass costs, whatever else runs. */
    cpuSeconds: number;
    eventsPerCpuSecond: number;
    /** The same ledger verified row by row (no threads), in the same run. */
    rowByRowEventsPerSecond: number;
    /** Every row of the events table read by better-sqlite3 alone, nothing hashed, in the same run. */
    rawReadRowsPerSecond: number;
    target: string;
  };
}

/** Wall seconds and process CPU seconds (all threads) of `run`. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** An event of the size and shape of an enrollment: ids, a village, and a sealed personal blob. */
function enrollmentLike(i: number): NewEvent {
  return {
    type: 'EnrollmentProposed',
    data: {
      enrollmentId: randomUUID(),
      programId: '7f0c8a51-3d7e-4b7e-9a53-1f9d2c0b6e11',
      participantId: randomUUID(),
      village: `16030100${String(i % 100).padStart(2, '0')}`,
      occupation: 'petani',
      period: { from: '2026-01-01', to: '2026-12-31' },
      personal: {
        v: 1,
        alg: 'A256GCM',
        iv: randomBytes(12).toString('base64'),
        ct: randomBytes(160).toString('base64'),
        tag: randomBytes(16).toString('base64'),
      },
    },
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      actor: { id: 'operator-embawang', role: 'village_operator', region: '1603010001' },
      correlationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 1000) / 1000;
};

/** Appends per second: `appends` appends of `perAppend` events each, to streams of 10 events. */
async function appendRate(store: EventStore, appends: number, perAppend: number): Promise<number> {
  const started = performance.now();
  for (let a = 0; a < appends; a++) {
    const events = Array.from({ length: perAppend }, (_, i) => enrollmentLike(a * perAppend + i));
    await store.append([{ streamId: `enrollment-${randomUUID()}`, events, expected: 'no_stream' }]);
  }
  return Math.round((appends * perAppend) / ((performance.now() - started) / 1000));
}

/**
 * Hashing at append against the same store without it, measured in turns (hashed, plain,
 * hashed, plain) and the better of each kept, so a burst of load on the shared machine hurts
 * neither side alone.
 */
async function compareAppends(
  name: string,
  open: (hashing: boolean) => Promise<{ store: EventStore; dispose(): Promise<void> }>,
  workloads: { label: string; appends: number; perAppend: number }[],
  say: (line: string) => void,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const hashed = await open(true);
  const plain = await open(false);
  try {
    for (const w of workloads) {
      let best = { hashed: 0, plain: 0 };
      for (let turn = 0; turn < 2; turn++) {
        best = {
          hashed: Math.max(best.hashed, await appendRate(hashed.store, w.appends, w.perAppend)),
          plain: Math.max(best.plain, await appendRate(plain.store, w.appends, w.perAppend)),
        };
      }
      say(`${name}: ${w.label}: ${best.hashed} events/s hashed, ${best.plain} without`);
      results.push({
        store: name,
        workload: `${w.label}, leaf hash at append (target ratio ≥ 0.9)`,
        events: w.appends * w.perAppend,
        eventsPerSecond: best.hashed,
        baselineEventsPerSecond: best.plain,
        ratio: Math.round((best.hashed / best.plain) * 1000) / 1000,
      });
    }
  } finally {
    await hashed.dispose();
    await plain.dispose();
  }
  return results;
}

export async function runIntegrityBench(
  quick: boolean,
  verifyEvents: number,
  say: (line: string) => void,
): Promise<IntegrityBench> {
  const results: BenchResult[] = [];
  const workloads = quick
    ? [
        { label: 'one-event appends', appends: 300, perAppend: 1 },
        { label: '1,000-event appends', appends: 20, perAppend: 1000 },
      ]
    : [
        { label: 'one-event appends', appends: 2000, perAppend: 1 },
        { label: '1,000-event appends', appends: 100, perAppend: 1000 },
      ];
  const dirs: string[] = [];
  results.push(
    ...(await compareAppends(
      'sqlite',
      async (hashing) => {
        const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-integrity-'));
        dirs.push(dir);
        const store = new SqliteEventStore(join(dir, 'ledger.db'), { leafHashes: hashing });
        return { store, dispose: () => store.close() };
      },
      workloads,
      say,
    )),
  );
  const url = process.env.DATABASE_URL;
  if (url) {
    const { PostgresEventStore } = await import('@ledger/event-store/postgres/postgres-event-store');
    results.push(
      ...(await compareAppends(
        'postgres',
        async (hashing) => {
          const schema = `bench_integrity_${randomBytes(5).toString('hex')}`;
          const store = await PostgresEventStore.create({
            connectionString: url,
            schema,
            leafHashes: hashing,
          });
          return {
            store,
            async dispose() {
              await store.close();
              const client = new Client({ connectionString: url });
              await client.connect();
              await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
            },
          };
        },
        workloads,
        say,
      )),
    );
  } else say('postgres: not measured — DATABASE_URL is not set');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

  // A generated ledger: the tree built over it, a checkpoint, then verify from the raw file.
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-'));
  try {
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file, { synchronous: 'normal' });
    say(`verify: generating ${verifyEvents.toLocaleString('en')} events`);
    for (let done = 0; done < verifyEvents;) {
      const n = Math.min(10_000, verifyEvents - done);
      const appends = Array.from({ length: n / 10 }, (_, s) => ({
        streamId: `enrollment-${randomUUID()}`,
        events: Array.from({ length: 10 }, (_, i) => enrollmentLike(done + s * 10 + i)),
        expected: 'no_stream' as const,
      }));
      await store.append(appends);
      done += n;
    }
    const tree = new SqliteTreeStore(join(dir, 'integrity.db'));
    const signer = new CheckpointSigner('ledger-bench', randomBytes(32));
    const service = new IntegrityService(leafSourceOf(store), tree, signer, {
      checkpointEvery: verifyEvents,
      checkpointIntervalMs: 3_600_000,
      batchSize: 50_000,
    });
    const started = performance.now();
    await service.extend();
    const treeSeconds = (performance.now() - started) / 1000;
    results.push({
      store: 'sqlite',
      workload: 'tree builder: leaves read, nodes stored',
      events: verifyEvents,
      eventsPerSecond: Math.round(verifyEvents / treeSeconds),
      baselineEventsPerSecond: null,
      ratio: null,
    });
    const checkpoint = await service.checkpoint();
    const threads = Math.min(availableParallelism(), 4);
    const verifyWith = (log: ReturnType<typeof sqliteRawLog>) => async () => {
      const report = await verifyLog({
        log,
        notes: [checkpoint.note],
        key: parseVerifierKey(signer.verifierKey),
        origin: signer.name,
      });
      if (!report.ok || report.holdsUpTo !== verifyEvents)
        throw new Error('verify failed on the generated ledger');
    };
    say(`verify: recomputing every leaf and the tree from the raw file, on ${threads} threads`);
    const fast = await timed(verifyWith(sqliteRawLog(file, { threads })));
    say('verify: the same, row by row');
    const rowByRow = await timed(verifyWith(sqliteRawLog(file, { threads: 0 })));
    say('verify: a plain read of every row');
    const rawRead = await timed(async () => {
      const db = new Database(file, { readonly: true });
      try {
        let rows = 0;
        for (const _ of db.prepare('SELECT * FROM events ORDER BY position').raw().iterate()) rows += 1;
        return rows;
      } finally {
        db.close();
      }
    });
    const rate = (events: number, seconds: number) => Math.round(events / seconds);
    const verify = {
      events: verifyEvents,
      threads,
      seconds: Math.round(fast.seconds * 100) / 100,
      eventsPerSecond: rate(verifyEvents, fast.seconds),
      cpuSeconds: Math.round(fast.cpuSeconds * 100) / 100,
      eventsPerCpuSecond: rate(verifyEvents, fast.cpuSeconds),
      rowByRowEventsPerSecond: rate(verifyEvents, rowByRow.seconds),
      rawReadRowsPerSecond: rate(rawRead.value, rawRead.seconds),
      target: '≥ 500,000 events/s',
    };
    results.push(
      {
        store: 'sqlite',
        workload: `verify on ${threads} threads (baseline: row by row, same run)`,
        events: verifyEvents,
        eventsPerSecond: verify.eventsPerSecond,
        baselineEventsPerSecond: verify.rowByRowEventsPerSecond,
        ratio: Math.round((verify.eventsPerSecond / verify.rowByRowEventsPerSecond) * 1000) / 1000,
      },
      {
        store: 'sqlite',
        workload: `verify on ${threads} threads (baseline: a plain read of every row, same run)`,
        events: verifyEvents,
        eventsPerSecond: verify.eventsPerSecond,
        baselineEventsPerSecond: verify.rawReadRowsPerSecond,
        ratio: Math.round((verify.eventsPerSecond / verify.rawReadRowsPerSecond) * 1000) / 1000,
      },
    );

    const latencies: IntegrityBench['latencies'] = [];
    const measure = async (workload: string, requests: number, run: (i: number) => Promise<unknown>) => {
      // What verify left behind collected, and a hundred proofs first to map the tree's file in:
      // the figures are those of a builder that has been answering proofs, not of its first ones.
      (globalThis as { gc?: () => void }).gc?.();
      for (let i = 0; i < 100; i++) await run(i);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await run(i);
        times.push(performance.now() - t);
      }
      latencies.push({
        workload,
        requests,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        target: 'p95 ≤ 5 ms',
      });
    };
    const random = (max: number) => 1 + Math.floor(Math.random() * max);
    await measure(`sqlite: inclusion proof in a tree of ${verifyEvents}`, 1000, () =>
      service.inclusionProof(random(verifyEvents), verifyEvents),
    );
    await measure(`sqlite: consistency proof up to ${verifyEvents}`, 1000, () =>
      service.consistencyProof(random(verifyEvents - 1), verifyEvents),
    );
    await tree.close();
    await store.close();
    return { results, latencies, verify };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
