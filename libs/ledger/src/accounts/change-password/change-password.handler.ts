import {
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { accountStream } from '../account.events';
import { loadAccount } from '../account.load';
import {
  decideChangePassword,
  type ChangePassword,
  type ChangePasswordOutcome,
} from './change-password.decider';

/**
 * POST /api/session/password: records the change, or its refusal, in the account's stream at
 * the revision it was decided on, so a change and a concurrent disabling cannot both stand.
 * The caller stores the new hash only once the change is recorded.
 *
 * No Idempotency-Key: a repeat could only be told from another request by a digest of the
 * passwords, which must not reach the log. A repeated change meets a current password that no
 * longer matches, and is refused like any wrong one.
 */
export async function changePassword(
  deps: Pick<LedgerDeps, 'store'>,
  ctx: CommandContext,
  command: Omit<ChangePassword, 'type'>,
) {
  let outcome: ChangePasswordOutcome | undefined;
  const written = await execute(deps, { ...ctx, idempotencyKey: undefined }, async () => {
    const { state, revision } = await loadAccount(deps.store, command.accountId);
    outcome = decideChangePassword({ type: 'ChangePassword', ...command }, state);
    return {
      appends: [
        {
          streamId: accountStream(command.accountId),
          expected: expectedFor(revision),
          events: outcome.events.map((e) => ({ ...e, metadata: metadata(ctx) })),
        },
      ],
      result: { accountId: command.accountId, changed: outcome.ok },
    };
  });
  return { ...written, outcome: outcome! };
}
