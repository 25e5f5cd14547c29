import type { RecordedEvent } from '@ledger/event-store';

/**
 * A command a reactor calls for, as plain data: `type` names the use case (see
 * `LedgerCommandInputs`), `input` is what its handler takes. Plain data keeps `react` pure
 * and its specs free of any dispatcher; the composition root turns it into the command
 * object the CommandBus executes.
 */
export interface ReactorCommand {
  type: string;
  input: Record<string, unknown>;
}

/**
 * A process manager: reacts to events of the log by dispatching commands. Followed like a
 * projection (the same live loop, its own checkpoint row), but it writes no read model: its
 * effects are the commands, appended to the log by their handlers.
 */
export interface Reactor {
  kind: 'reactor';
  /** Stable name: checkpoint key, and part of every idempotency key it dispatches with. */
  name: string;
  /** Recorded with the checkpoint. A new version goes on from the checkpoint: commands are never replayed. */
  version: number;
  /** Event types it reads; the subscription is filtered by them. */
  handles: readonly string[];
  /**
   * Where a reactor new to this ledger starts: at the beginning of the log (every past event
   * calls for its commands), or at the head (only events from now on).
   */
  startAt?: 'beginning' | 'head';
  /**
   * Pure, like a decider: the commands an event calls for, the same ones every time the
   * same event comes, since a replay after a crash asks again and is recognised by them.
   */
  react(event: RecordedEvent): ReactorCommand[];
}

/** Who caused a dispatch, and the key that makes a second dispatch of it change nothing. */
export interface DispatchContext {
  reactor: string;
  /** Derived from the causing event's id and the command's place among its commands. */
  idempotencyKey: string;
  /** The causing event's id. */
  causationId: string;
  correlationId?: string;
}

/**
 * Hands a reactor's command to its handler. Resolves once the command was applied, or was
 * applied before under the same idempotency key, or was refused for good (a refusal is the
 * command's answer, not a fault); rejects only when a retry may succeed, and the reactor's
 * batch is then retried from its checkpoint. In the ledger's processes this is the CommandBus
 * of `@nestjs/cqrs` (`@ledger/runtime/reactors`); this library knows only the port.
 */
export interface CommandDispatcher {
  dispatch(command: ReactorCommand, context: DispatchContext): Promise<unknown>;
}

/** The dispatches an event calls for from a reactor, each with its idempotency key. */
export function dispatchesFor(
  reactor: Reactor,
  event: RecordedEvent,
): { command: ReactorCommand; context: DispatchContext }[] {
  return reactor.react(event).map((command, i) => ({
    command,
    context: {
      reactor: reactor.name,
      idempotencyKey: `${reactor.name}:${event.metadata.eventId}:${i}`,
      causationId: event.metadata.eventId,
      correlationId: event.metadata.correlationId,
    },
  }));
}
