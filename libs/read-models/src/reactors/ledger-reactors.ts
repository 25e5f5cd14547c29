import type { Reactor } from './reactor';

/**
 * Every reactor of the ledger. A context adds its process managers here; the composition
 * root (`@ledger/runtime/commands`) follows the log for them and hands their commands to
 * the CommandBus.
 */
export function ledgerReactors(): Reactor[] {
  return [];
}
