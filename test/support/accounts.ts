import { createAccount } from '@ledger/ledger/accounts/create/create-account.handler';
import { commandContext } from '@ledger/ledger/shared/command.deps';
import type { LedgerRuntime } from '@ledger/runtime';
import { CredentialStore } from '../../apps/api/src/accounts/credential-store';
import { hashPassword } from '../../apps/api/src/accounts/passwords';

/** Creates web app accounts as `users create-admin` does: the events, then the hash beside them. */
export async function seedAccounts(
  runtime: LedgerRuntime,
  accounts: { username: string; role: string; regions: string[]; password: string }[],
): Promise<void> {
  const credentials = await CredentialStore.open(runtime.config);
  try {
    for (const account of accounts) {
      const ctx = commandContext({ id: 'cli', role: 'administrator' });
      const { accountId } = await createAccount(
        { store: runtime.store, nikHmacKey: runtime.secrets.nikHmacKey },
        ctx,
        { username: account.username, role: account.role, regions: account.regions, address: 'cli' },
      );
      await credentials.addAccount(
        {
          accountId,
          username: account.username,
          role: account.role,
          regions: account.regions,
          disabled: false,
          createdAt: ctx.now,
        },
        await hashPassword(account.password),
      );
    }
  } finally {
    await credentials.close();
  }
}
