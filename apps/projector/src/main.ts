import 'reflect-metadata';
import { loadConfig } from '@ledger/platform/config';
import { failAndExit } from '@ledger/platform/fatal';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import pino from 'pino';

/**
 * The projection runner alone, for the server and distributed modes: API replicas then
 * run with LEDGER_RUN_PROJECTIONS=false. Several projectors may run at once; each batch
 * verifies its checkpoint under a lock, so they never apply an event twice.
 */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { app: 'projector' } });
  const runtime = await openRuntime(config, {
    projections: ledgerProjections(),
    logger: { info: (msg, fields) => log.info(fields ?? {}, msg), error: (msg, fields) => log.error(fields ?? {}, msg) },
  });
  runtime.runner.start();
  log.info({ store: config.store, projections: runtime.runner.projections.map((p) => p.name) }, 'projector started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping after the batch in flight');
    await runtime.close();
    log.info('projector stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => failAndExit(error, 'projector'));
