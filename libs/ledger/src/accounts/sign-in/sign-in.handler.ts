import type { EventStore } from '@ledger/event-store';
import { metadata, type CommandContext } from '../../shared/command.deps';
import { accountStream, UNKNOWN_SIGN_INS_STREAM, type AccountEvent } from '../account.events';

/**
 * Appends what a sign-in, a failed sign-in or a sign-out decided. Sign-ins do not change what
 * the account's deciders look at, so they append at any revision: two browsers signing in at
 * once both get recorded.
 */
export async function recordAccountActivity(
  store: EventStore,
  ctx: CommandContext,
  accountId: string | null,
  events: AccountEvent[],
): Promise<number> {
  if (events.length === 0) return store.headPosition();
  const written = await store.append([
    {
      streamId: accountId === null ? UNKNOWN_SIGN_INS_STREAM : accountStream(accountId),
      expected: 'any',
      events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
    },
  ]);
  return written.position;
}
