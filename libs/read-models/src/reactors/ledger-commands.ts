import {
  commandContext,
  hashOf,
  type CommandContext,
  type LedgerDeps,
} from '@ledger/ledger/shared/command.deps';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import type { RunnerLogger } from '../runner/live-loop';
import type { CommandDispatcher } from './reactor';

/** A ledger command handler, as the API calls it: dependencies, context, input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LedgerCommandHandler = (deps: LedgerDeps, ctx: CommandContext, input: any) => Promise<unknown>;

/**
 * Dispatches reactors' commands to the ledger's handlers by command type, in this process.
 * Each runs through `execute` under the reactor's own actor with the dispatch's
 * idempotency key, and the hash of the command as the request: the same command from the
 * same causing event finds the first run's result and appends nothing.
 *
 * A refusal (RuleViolation) is the command's answer: logged, and the reactor goes on. It
 * is not remembered under the key, so a replay decides it again on the ledger of then.
 */
export function ledgerDispatcher(
  deps: LedgerDeps,
  handlers: Record<string, LedgerCommandHandler>,
  logger?: RunnerLogger,
): CommandDispatcher {
  return {
    async dispatch(command, context) {
      const handler = handlers[command.type];
      if (!handler)
        throw new Error(`reactor ${context.reactor} asks for ${command.type}, which has no handler`);
      const ctx = commandContext(
        { id: `reactor:${context.reactor}`, role: 'reactor' },
        {
          idempotencyKey: context.idempotencyKey,
          requestHash: hashOf(command),
          causationId: context.causationId,
          ...(context.correlationId ? { correlationId: context.correlationId } : {}),
        },
      );
      try {
        return await handler(deps, ctx, command.input);
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        logger?.info('reactor command refused', {
          reactor: context.reactor,
          command: command.type,
          causationId: context.causationId,
          rule: error.rule,
        });
        return error;
      }
    },
  };
}
