import type { DeregistrationReason } from '@ledger/ledger/enrollment/enrollment.events';
import { commandContext, hashOf, type CommandContext } from '@ledger/ledger/shared/command.deps';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { DispatchContext, ReactorCommand } from './reactor';

/**
 * The ledger's use cases a reactor may call for, by command type, with the input each
 * takes. The composition root gives every type here a command class and its handler on
 * the CommandBus (a missing one fails to compile there), so a reactor and the handler it
 * calls agree on the input at compile time. A context adds a line here for each use case
 * its reactors call.
 */
export type LedgerCommandInputs = {
  /** POST /api/enrollments/:id/deregistration, on behalf of a reactor. */
  'enrollment.deregister': {
    enrollmentId: string;
    reason: DeregistrationReason;
    note: string | null;
    /** Last day of coverage. */
    effectiveDate: IsoDate;
  };
};

export type LedgerCommandType = keyof LedgerCommandInputs;

/** A reactor's command for one of the ledger's use cases, its input checked against the use case's. */
export function ledgerCommand<T extends LedgerCommandType>(
  type: T,
  input: LedgerCommandInputs[T],
): ReactorCommand {
  return { type, input };
}

/** The actor every command of a reactor runs as: a system actor named after the reactor. */
export function reactorActor(reactor: string) {
  return { id: `reactor:${reactor}`, role: 'reactor' };
}

/**
 * The context a reactor's command runs under: the reactor as its actor, the causing event
 * as its causation (and its correlation carried on), and the dispatch's idempotency key
 * with the hash of the command as the request. The ledger's `execute` remembers the key
 * with the command's events in one append, so the same command from the same causing
 * event finds the first run's result and appends nothing.
 */
export function reactorCommandContext(command: ReactorCommand, dispatch: DispatchContext): CommandContext {
  return commandContext(reactorActor(dispatch.reactor), {
    idempotencyKey: dispatch.idempotencyKey,
    requestHash: hashOf(command),
    causationId: dispatch.causationId,
    ...(dispatch.correlationId ? { correlationId: dispatch.correlationId } : {}),
  });
}
