import {
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { accountStream } from '../account.events';
import { loadAccount } from '../account.load';
import { decideDisableAccount } from './disable-account.decider';

/** POST /api/accounts/{id}/disabling */
export async function disableAccount(
  deps: Pick<LedgerDeps, 'store'>,
  ctx: CommandContext,
  command: { accountId: string; byAccountId: string; reason: string | null; address: string },
) {
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadAccount(deps.store, command.accountId);
    const events = decideDisableAccount({ type: 'DisableAccount', ...command }, state);
    return {
      appends: events.length
        ? [
            {
              streamId: accountStream(command.accountId),
              expected: expectedFor(revision),
              events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
            },
          ]
        : [],
      result: { accountId: command.accountId, changed: events.length > 0 },
    };
  });
}
