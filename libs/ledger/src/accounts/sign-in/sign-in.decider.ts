import type { AccountEvent, SignInFailure } from '../account.events';
import type { AccountState } from '../account.state';
import { lockedUntil } from './lockout';

export interface SignIn {
  type: 'SignIn';
  /** Null when the user name belongs to no account. */
  accountId: string | null;
  usernameKey: string;
  address: string;
  /** Whether the password matched the stored hash (checked by the handler: I/O and CPU). */
  passwordMatches: boolean;
  /** Recent failures of this user name (epoch ms) and the time of the attempt. */
  failuresAt: number[];
  now: number;
  /** Reference of the new session (a hash of its id, never the id). */
  session: string;
}

export type SignInOutcome =
  | { ok: true; events: AccountEvent[] }
  | { ok: false; reason: SignInFailure; retryAfterMs?: number; events: AccountEvent[] };

/**
 * The outcome of a sign-in and the event recording it. A locked name is refused even with the
 * right password (otherwise the lock-out would be an oracle for the password), and a disabled
 * account only after its password matched, so a wrong password never tells that it exists.
 */
export function decideSignIn(command: SignIn, state: AccountState): SignInOutcome {
  const failed = (reason: SignInFailure, retryAfterMs?: number): SignInOutcome => ({
    ok: false,
    reason,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    events: [
      {
        type: 'AccountSignInFailed',
        data: {
          accountId: command.accountId,
          usernameKey: command.usernameKey,
          address: command.address,
          reason,
        },
      },
    ],
  });
  const until = lockedUntil(command.failuresAt, command.now);
  if (until !== undefined) return failed('locked', until - command.now);
  if (command.accountId === null || state.status === 'none') return failed('unknown_user');
  if (!command.passwordMatches) return failed('password');
  if (state.status === 'disabled') return failed('disabled');
  return {
    ok: true,
    events: [
      {
        type: 'AccountSignedIn',
        data: { accountId: command.accountId, address: command.address, session: command.session },
      },
    ],
  };
}
