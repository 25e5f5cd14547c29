import 'reflect-metadata';
import { loadConfig, redactUrl } from '@ledger/platform/config';
import { failAndExit } from '@ledger/platform/fatal';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { DailySweep, ledgerDeps, startLedgerReactors, sweepPrograms } from '@ledger/runtime/commands';
import { CommandBus } from '@nestjs/cqrs';
import pino from 'pino';
import { createApp } from './create-app';

const STOP_DEADLINE_MS = 9_000;

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { app: 'api' } });
  const logger = {
    info: (msg: string, fields?: object) => log.info(fields ?? {}, msg),
    error: (msg: string, fields?: object) => log.error(fields ?? {}, msg),
  };
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store), logger });
  const app = await createApp(runtime);
  let reactors: Awaited<ReturnType<typeof startLedgerReactors>> | undefined;
  let sweep: DailySweep | undefined;
  // Closing the app stops the projection and reactor loops after their batch in flight, then the stores.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', async () => {
      await sweep?.stop();
      await reactors?.stop();
      await runtime.close();
    });
  if (config.runProjections) {
    runtime.startProjections();
    // On this thread in embedded mode too: their commands need the key store this process holds.
    // The application is initialised first: the CommandBus registers its handlers then.
    await app.init();
    reactors = await startLedgerReactors(runtime, app.get(CommandBus), logger);
    // Where the reactors run, so does the daily lapse sweep (the projector's, in embedded mode).
    if (config.dailySweep) {
      const deps = ledgerDeps(runtime);
      sweep = new DailySweep((asOf, stopping) => sweepPrograms(runtime, deps, { asOf, stopping }), { logger });
      sweep.start();
    }
  }
  // SIGTERM closes the app (see createApp). An orchestrator kills after about 10 s; should
  // closing take longer (a large upload still in flight), the process says so and ends first.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () =>
      setTimeout(() => {
        process.stderr.write(`ledger: not stopped ${STOP_DEADLINE_MS / 1000} s after ${signal}; exiting\n`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref(),
    );
  await app.listen({ port: config.port, host: config.host });
  const where =
    config.store === 'sqlite'
      ? `data in ${config.dataDir}, ${durability(config.sqliteSynchronous)}`
      : config.store === 'postgres'
        ? `PostgreSQL ${redactUrl(config.databaseUrl!)}`
        : `KurrentDB ${redactUrl(config.kurrentDbUrl!)}`;
  process.stdout.write(
    `ledger listening on http://${config.host}:${config.port} (store: ${config.store}, ${where}; docs at /docs)\n`,
  );
}

/** Said at every start, so a weaker setting is never a surprise. */
function durability(synchronous: 'full' | 'normal'): string {
  return synchronous === 'full'
    ? 'appends synced to disk before they are acknowledged (synchronous=full)'
    : 'LEDGER_SQLITE_SYNCHRONOUS=normal: a power cut can lose the last acknowledged appends';
}

main().catch((error) => failAndExit(error));
