import { createHmac } from 'node:crypto';
import type { EventStore } from '@ledger/event-store';
import { fold } from '../shared/command.deps';
import { accountNameStream, accountStream, type AccountEvent } from './account.events';
import { evolveAccount, initialAccountState, type AccountState } from './account.state';

/** HMAC of the lower-cased user name under the ledger's HMAC key, in a domain of its own. */
export function usernameKey(hmacKey: Buffer, username: string): string {
  return createHmac('sha256', hmacKey).update(`account-name:${username.trim().toLowerCase()}`).digest('hex');
}

export async function loadAccount(store: EventStore, accountId: string) {
  return fold<AccountState, AccountEvent>(
    store,
    accountStream(accountId),
    evolveAccount,
    initialAccountState(),
  );
}

/** The account a user name belongs to, or null. */
export async function accountIdByName(store: EventStore, key: string): Promise<string | null> {
  const [claim] = await store.readStream(accountNameStream(key));
  return claim ? (claim.data as { accountId: string }).accountId : null;
}
