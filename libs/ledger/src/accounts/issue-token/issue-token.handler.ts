import { randomUUID } from 'node:crypto';
import {
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { accountStream, type AccountEvent } from '../account.events';
import { loadAccount } from '../account.load';
import { decideIssueToken } from './issue-token.decider';

/**
 * POST /api/tokens: records the issue in the administrator's stream; `sign` makes the token
 * itself once the decision stands (the token never enters the log, only its id and terms).
 */
export async function issueToken<T>(
  deps: Pick<LedgerDeps, 'store'>,
  ctx: CommandContext,
  command: {
    accountId: string;
    subject: string;
    role: string;
    regions: string[];
    days: number;
    address: string;
  },
  sign: (issued: Extract<AccountEvent, { type: 'ApiTokenIssued' }>['data']) => Promise<T>,
) {
  const tokenId = randomUUID();
  let issued: Extract<AccountEvent, { type: 'ApiTokenIssued' }>['data'] | undefined;
  const written = await execute(deps, ctx, async () => {
    const { state, revision } = await loadAccount(deps.store, command.accountId);
    const events = decideIssueToken({ type: 'IssueToken', tokenId, now: ctx.now, ...command }, state);
    issued = (events[0] as Extract<AccountEvent, { type: 'ApiTokenIssued' }>).data;
    return {
      appends: [
        {
          streamId: accountStream(command.accountId),
          expected: expectedFor(revision),
          events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
        },
      ],
      result: { tokenId, expiresAt: issued.expiresAt },
    };
  });
  // With a repeated Idempotency-Key nothing is decided again and no second token is made.
  return { ...written, token: issued ? await sign(issued) : undefined };
}
