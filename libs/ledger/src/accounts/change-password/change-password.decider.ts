import { RuleViolation } from '../../shared/rule-violation';
import type { AccountEvent, PasswordChangeFailure } from '../account.events';
import type { AccountState } from '../account.state';
import { lockedUntil } from '../sign-in/lockout';

export interface ChangePassword {
  type: 'ChangePassword';
  accountId: string;
  address: string;
  /** Whether the current password as typed matched the stored hash (checked by the handler). */
  currentPasswordMatches: boolean;
  /** Recent failures of the account's user name (epoch ms), sign-ins and changes alike. */
  failuresAt: number[];
  now: number;
  /** Sessions of the account other than the one asking: the change ends them. */
  otherSessions: number;
}

export type ChangePasswordOutcome =
  | { ok: true; events: AccountEvent[] }
  | { ok: false; reason: PasswordChangeFailure; retryAfterMs?: number; events: AccountEvent[] };

/**
 * A signed-in user's change of their own password. A wrong current password is a failure
 * like a wrong password at sign-in and counts towards the same lock-out, so a session left
 * open on a shared computer is no way to try passwords without limit; a locked name is refused
 * even with the right one. The new password's own rules are checked before this (422, nothing
 * recorded), since they depend on nothing secret.
 */
export function decideChangePassword(command: ChangePassword, state: AccountState): ChangePasswordOutcome {
  if (state.status === 'none')
    throw new RuleViolation('account.notFound', 'Akun tidak ditemukan', 'not_found');
  if (state.status === 'disabled')
    throw new RuleViolation('account.disabled', 'Akun ini dinonaktifkan', 'forbidden');
  const failed = (reason: PasswordChangeFailure, retryAfterMs?: number): ChangePasswordOutcome => ({
    ok: false,
    reason,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    events: [
      {
        type: 'AccountPasswordChangeFailed',
        data: { accountId: command.accountId, address: command.address, reason },
      },
    ],
  });
  const until = lockedUntil(command.failuresAt, command.now);
  if (until !== undefined) return failed('locked', until - command.now);
  if (!command.currentPasswordMatches) return failed('password');
  return {
    ok: true,
    events: [
      {
        type: 'AccountPasswordChanged',
        data: {
          accountId: command.accountId,
          address: command.address,
          sessionsEnded: Math.max(0, command.otherSessions),
        },
      },
    ],
  };
}
