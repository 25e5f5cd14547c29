import type { Projection } from './runner/projection';

/** Every read model of the ledger, in the order they are installed. */
export function ledgerProjections(): Projection[] {
  return [];
}
