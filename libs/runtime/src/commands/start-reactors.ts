import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@ledger/event-store';
import { regions } from '@ledger/ledger/regions/region-directory';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { ReactorRunner, type ReadDb, type Reactor, type RunnerLogger } from '@ledger/read-models';
import { ledgerReactors } from '@ledger/read-models/reactors/ledger-reactors';
import type { LedgerRuntime } from '../runtime';
import { commandBusDispatcher } from './command-bus-dispatcher';

/** The dependencies of the ledger's command handlers, from what a process opened. */
export function ledgerDeps(runtime: Pick<LedgerRuntime, 'store' | 'keys' | 'secrets'>): LedgerDeps {
  return {
    store: runtime.store,
    keys: runtime.keys,
    nikHmacKey: runtime.secrets.nikHmacKey,
    regions: regions(),
  };
}

/**
 * Installs the ledger's reactors and starts following the log for them, in this process:
 * their commands go to the CommandBus, whose handlers are the same use cases the API's
 * controllers call. Several processes may run them at once (the checkpoint is locked per
 * batch, and each command is idempotent by its causing event).
 */
export async function startLedgerReactors(
  host: { store: EventStore; read: ReadDb },
  bus: CommandBus,
  logger?: RunnerLogger,
  reactors: Reactor[] = ledgerReactors(),
): Promise<ReactorRunner> {
  const runner = new ReactorRunner(host.store, host.read, reactors, commandBusDispatcher(bus, logger), {
    logger,
  });
  await runner.install();
  runner.start();
  return runner;
}
