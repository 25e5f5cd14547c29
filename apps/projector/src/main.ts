import 'reflect-metadata';
import { loadConfig } from '@ledger/platform/config';
import { failAndExit } from '@ledger/platform/fatal';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import {
  DailySweep,
  ledgerDeps,
  openLedgerCommands,
  startLedgerReactors,
  sweepPrograms,
} from '@ledger/runtime/commands';
import { CommandBus } from '@nestjs/cqrs';
import pino from 'pino';
import { serveProjectorHttp } from './projector-http';

/**
 * The projection runner and the reactors alone, for the server and distributed modes: API
 * replicas then run with LEDGER_RUN_PROJECTIONS=false. Several projectors may run at once;
 * each batch verifies its checkpoint under a lock, so they never apply an event twice, and
 * a reactor's command dispatched twice is applied once. Each serves its health and metrics
 * on LEDGER_PROJECTOR_PORT (see serveProjectorHttp).
 */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { app: 'projector' } });
  const logger = {
    info: (msg: string, fields?: object) => log.info(fields ?? {}, msg),
    error: (msg: string, fields?: object) => log.error(fields ?? {}, msg),
  };
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store), logger });
  // Bound first: a port already taken stops the process before it starts any work.
  const http = await serveProjectorHttp(runtime, logger).catch((error: Error) => {
    throw new Error(
      `cannot serve health and metrics on ${config.host}:${config.projectorPort}: ${error.message}`,
    );
  });
  runtime.runner.start();
  runtime.integrity.start(); // the Merkle tree over the log and its signed checkpoints
  // The reactors' commands go through the CommandBus, in a Nest context of their own (no HTTP here).
  const commands = await openLedgerCommands(ledgerDeps(runtime));
  const reactors = await startLedgerReactors(runtime, commands.get(CommandBus), logger);
  // Lapses depend on the clock: a command with its own day, once a day for today in WIB.
  const deps = ledgerDeps(runtime);
  const sweep = config.dailySweep
    ? new DailySweep((asOf, stopping) => sweepPrograms(runtime, deps, { asOf, stopping }), { logger })
    : null;
  sweep?.start();
  log.info(
    {
      store: config.store,
      host: config.host,
      port: http.port,
      projections: runtime.runner.projections.map((p) => p.name),
      reactors: reactors.reactors.map((r) => r.name),
    },
    `projector started, health and metrics on http://${config.host}:${http.port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping after the batch in flight');
    await http.close();
    await sweep?.stop();
    await reactors.stop();
    await commands.close();
    await runtime.close();
    log.info('projector stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => failAndExit(error, 'projector'));
