import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { LEDGER_DEPS, type CommandKinds } from './ledger-command';
import { ledgerCommandKinds } from './ledger-command-kinds';

/**
 * The CommandBus of `@nestjs/cqrs` with a handler for each of the ledger's command kinds,
 * each handed the ledger's dependencies. The API imports it into its application; the
 * projector opens it alone (`openLedgerCommands`).
 */
@Module({})
export class LedgerCommandsModule {
  static forDeps(deps: LedgerDeps, kinds: CommandKinds = ledgerCommandKinds): DynamicModule {
    return {
      module: LedgerCommandsModule,
      imports: [CqrsModule.forRoot()],
      providers: [{ provide: LEDGER_DEPS, useValue: deps }, ...Object.values(kinds).map((k) => k.handler)],
      exports: [LEDGER_DEPS],
    };
  }
}

/**
 * The ledger's CommandBus in a process without the HTTP application (the projector): a
 * Nest application context holding only the command handlers. Its handlers are registered
 * once it is returned (the context is initialised); `close()` it after the reactors stopped.
 */
export function openLedgerCommands(
  deps: LedgerDeps,
  kinds: CommandKinds = ledgerCommandKinds,
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(LedgerCommandsModule.forDeps(deps, kinds), { logger: false });
}
