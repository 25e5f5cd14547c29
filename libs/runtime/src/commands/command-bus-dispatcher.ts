import type { CommandBus } from '@nestjs/cqrs';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { reactorCommandContext, type CommandDispatcher, type RunnerLogger } from '@ledger/read-models';
import type { CommandKinds } from './ledger-command';
import { ledgerCommandKinds } from './ledger-command-kinds';

/**
 * The reactors' dispatcher: each command a reactor calls for becomes the command object of
 * its kind, executed by the CommandBus, under the reactor as a system actor, caused by the
 * event, with the idempotency key of the dispatch (see `reactorCommandContext`).
 *
 * A refusal (RuleViolation) is the command's answer: logged, and the reactor goes on. It
 * is not remembered under the key, so a replay decides it again on the ledger of then.
 * Anything else rejects, and the reactor's batch is retried from its checkpoint.
 */
export function commandBusDispatcher(
  bus: CommandBus,
  logger?: RunnerLogger,
  kinds: CommandKinds = ledgerCommandKinds,
): CommandDispatcher {
  return {
    async dispatch(command, dispatch) {
      const kind = Object.hasOwn(kinds, command.type) ? kinds[command.type] : undefined;
      if (!kind)
        throw new Error(`reactor ${dispatch.reactor} asks for ${command.type}, which has no handler`);
      try {
        return await bus.execute(new kind.command(command.input, reactorCommandContext(command, dispatch)));
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        logger?.info('reactor command refused', {
          reactor: dispatch.reactor,
          command: command.type,
          causationId: dispatch.causationId,
          rule: error.rule,
        });
        return error;
      }
    },
  };
}
