import {
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { accountStream } from '../account.events';
import { loadAccount } from '../account.load';
import { decideEnableAccount } from './enable-account.decider';

/** POST /api/accounts/{id}/enabling */
export async function enableAccount(
  deps: Pick<LedgerDeps, 'store'>,
  ctx: CommandContext,
  accountId: string,
  address: string,
) {
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadAccount(deps.store, accountId);
    const events = decideEnableAccount({ type: 'EnableAccount', accountId, address }, state);
    return {
      appends: events.length
        ? [
            {
              streamId: accountStream(accountId),
              expected: expectedFor(revision),
              events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
            },
          ]
        : [],
      result: { accountId, changed: events.length > 0 },
    };
  });
}
