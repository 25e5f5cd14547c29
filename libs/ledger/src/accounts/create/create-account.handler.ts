import { randomUUID } from 'node:crypto';
import { execute, metadata, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { RuleViolation } from '../../shared/rule-violation';
import { accountNameStream, accountStream } from '../account.events';
import { accountIdByName, usernameKey } from '../account.load';
import { initialAccountState } from '../account.state';
import { decideCreateAccount } from './create-account.decider';

export interface NewAccount {
  username: string;
  role: string;
  regions: string[];
  address: string;
}

/** POST /api/accounts, and `users create-admin`: the account and the claim of its name, in one append. */
export async function createAccount(
  deps: Pick<LedgerDeps, 'store' | 'nikHmacKey'>,
  ctx: CommandContext,
  input: NewAccount,
) {
  const accountId = randomUUID();
  const key = usernameKey(deps.nikHmacKey, input.username);
  return execute(deps, ctx, async () => {
    const events = decideCreateAccount({ type: 'CreateAccount', accountId, ...input }, initialAccountState());
    if ((await accountIdByName(deps.store, key)) !== null) {
      throw new RuleViolation(
        'account.username.taken',
        'Nama pengguna sudah dipakai',
        'conflict',
        undefined,
        [{ field: 'username', rule: 'unique', message: 'nama pengguna sudah dipakai' }],
      );
    }
    return {
      appends: [
        {
          streamId: accountNameStream(key),
          expected: 'no_stream',
          events: [{ type: 'AccountNameClaimed', data: { accountId }, metadata: metadata(ctx) }],
        },
        {
          streamId: accountStream(accountId),
          expected: 'no_stream',
          events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
        },
      ],
      result: { accountId },
    };
  });
}
