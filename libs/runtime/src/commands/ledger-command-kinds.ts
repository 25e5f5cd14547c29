import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import type { LedgerCommandInputs, LedgerCommandType } from '@ledger/read-models';
import { ledgerCommandKind, type LedgerCommandKind } from './ledger-command';

export type LedgerCommandKinds = { [T in LedgerCommandType]: LedgerCommandKind<LedgerCommandInputs[T]> };

/**
 * Every command type reactors may call for, on the CommandBus. Keyed by the types of
 * `LedgerCommandInputs`: a type without its kind here does not compile. A context whose
 * reactor calls a new use case adds its input there and one line here.
 */
export const ledgerCommandKinds: LedgerCommandKinds = {
  'enrollment.deregister': ledgerCommandKind(
    'DeregisterEnrollment',
    (deps, ctx, { enrollmentId, ...request }: LedgerCommandInputs['enrollment.deregister']) =>
      deregisterEnrollment(deps, ctx, enrollmentId, request),
  ),
};
