import { Global, Module } from '@nestjs/common';
import { SESSION_AUTHENTICATOR } from '@ledger/platform/auth/session';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import { AccountsController } from './accounts.controller';
import { AccountsService, CREDENTIALS } from './accounts.service';
import { CredentialStore } from './credential-store';
import { SessionController } from './session.controller';

/**
 * Accounts, sign-in and sessions of the web app. Global, so that the global AuthGuard finds
 * the session authenticator it accepts cookies with.
 */
@Global()
@Module({
  controllers: [SessionController, AccountsController],
  providers: [
    {
      provide: CREDENTIALS,
      useFactory: (runtime: LedgerRuntime) => CredentialStore.open(runtime.config),
      inject: [RUNTIME],
    },
    AccountsService,
    { provide: SESSION_AUTHENTICATOR, useExisting: AccountsService },
  ],
  exports: [AccountsService, SESSION_AUTHENTICATOR],
})
export class AccountsModule {}
