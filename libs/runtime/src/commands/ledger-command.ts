import { Inject, type Type } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';

/** Nest injection token for the dependencies the ledger's command handlers take. */
export const LEDGER_DEPS = Symbol('LedgerDeps');

/**
 * A ledger use case as the CommandBus executes it: its input and the context it runs
 * under (actor, causation, idempotency key). Each use case has a class of its own (see
 * `ledgerCommandKind`), since the bus finds a command's handler by its class.
 */
export abstract class LedgerCommand<I> {
  constructor(
    readonly input: I,
    readonly context: CommandContext,
  ) {}
}

/** One of the ledger's use cases on the CommandBus: its command class and its handler. */
export interface LedgerCommandKind<I> {
  command: new (input: I, context: CommandContext) => LedgerCommand<I>;
  handler: Type<ICommandHandler<LedgerCommand<I>>>;
}

/** Kinds by command type, whatever their inputs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandKinds = Record<string, LedgerCommandKind<any>>;

/** A ledger use case's handler, as the HTTP controllers call it too: dependencies, context, input. */
export type LedgerUseCase<I> = (deps: LedgerDeps, ctx: CommandContext, input: I) => Promise<unknown>;

/**
 * Puts a use case of the ledger on the CommandBus: a command class named `name` and a
 * `@CommandHandler` for it that calls the use case's own handler (the one the API's
 * controllers call) with the command's context. The use case keeps its decider, its
 * `execute` with idempotency and retries; the bus only finds it and hands it the command.
 */
export function ledgerCommandKind<I>(name: string, useCase: LedgerUseCase<I>): LedgerCommandKind<I> {
  // A class of its own for each use case, named so that the bus's errors and a stack trace name it.
  const command = { [name]: class extends LedgerCommand<I> {} }[name];

  @CommandHandler(command)
  class Handler implements ICommandHandler<LedgerCommand<I>> {
    constructor(@Inject(LEDGER_DEPS) private readonly deps: LedgerDeps) {}

    execute({ input, context }: LedgerCommand<I>): Promise<unknown> {
      return useCase(this.deps, context, input);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${name}Handler` });
  return { command, handler: Handler };
}
