import type { EventStore } from '@ledger/event-store';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { regions } from '@ledger/ledger/regions/region-directory';
import type { ReadDb } from '../read-db';
import type { RunnerLogger } from '../runner/live-loop';
import { ledgerDispatcher, type LedgerCommandHandler } from './ledger-commands';
import type { Reactor } from './reactor';
import { ReactorRunner } from './reactor-runner';

/** Every reactor of the ledger. A context adds its process managers here. */
export function ledgerReactors(): Reactor[] {
  return [];
}

/** The handlers of the commands the ledger's reactors dispatch, by command type. */
const ledgerCommandHandlers: Record<string, LedgerCommandHandler> = {};

/** What a process of the ledger opened that its reactors need. */
export interface ReactorHost {
  store: EventStore;
  read: ReadDb;
  keys: LedgerDeps['keys'];
  secrets: { nikHmacKey: Buffer };
}

/**
 * Installs the ledger's reactors and starts following the log for them, in this process:
 * their commands run through the same handlers as the API's. Several processes may run
 * them at once (the checkpoint is locked per batch, and each command is idempotent).
 */
export async function startLedgerReactors(host: ReactorHost, logger?: RunnerLogger): Promise<ReactorRunner> {
  const deps: LedgerDeps = {
    store: host.store,
    keys: host.keys,
    nikHmacKey: host.secrets.nikHmacKey,
    regions: regions(),
  };
  const runner = new ReactorRunner(
    host.store,
    host.read,
    ledgerReactors(),
    ledgerDispatcher(deps, ledgerCommandHandlers, logger),
    {
      logger,
    },
  );
  await runner.install();
  runner.start();
  return runner;
}
