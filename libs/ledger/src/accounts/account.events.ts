/**
 * Accounts of the people who sign in to the web app. Each account has a stream of its own
 * (`account-<id>`) holding its creation and changes and every sign-in, failed sign-in and
 * sign-out, so "who did what, when, from where" is read from the log like everything else.
 *
 * No password and no password hash is ever in an event: the hash lives in the credentials
 * table beside the sessions (apps/api/src/accounts), which can be replaced without rewriting
 * history. The user name is a login id chosen by the administrator (e.g. `op.sukamaju`); it
 * must not be a NIK (checked by the decider), and a person's real name belongs nowhere here.
 */

/** The ledger's roles, plus the administrator of accounts (who reads no ledger data). */
export const ACCOUNT_ROLES = [
  'village_operator',
  'program_admin',
  'finance',
  'auditor',
  'viewer',
  'administrator',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Why a sign-in failed; the caller only ever hears "user name or password is wrong" or "wait". */
export type SignInFailure = 'password' | 'unknown_user' | 'disabled' | 'locked';

/** Why a signed-in user's own password change was refused: the current password, or the lock. */
export type PasswordChangeFailure = 'password' | 'locked';

export type AccountEvent =
  | { type: 'AccountNameClaimed'; data: { accountId: string } }
  | {
      type: 'AccountCreated';
      data: { accountId: string; username: string; role: AccountRole; regions: string[]; address: string };
    }
  | { type: 'AccountDisabled'; data: { accountId: string; reason: string | null; address: string } }
  | { type: 'AccountEnabled'; data: { accountId: string; address: string } }
  | { type: 'AccountSignedIn'; data: { accountId: string; address: string; session: string } }
  | {
      type: 'AccountSignInFailed';
      data: {
        /** Null when the user name belongs to no account. */
        accountId: string | null;
        /** HMAC of the lower-cased user name: an unknown name may be a mistyped password. */
        usernameKey: string;
        address: string;
        reason: SignInFailure;
      };
    }
  | { type: 'AccountSignedOut'; data: { accountId: string; address: string; session: string } }
  | {
      type: 'AccountPasswordChanged';
      /** How many other sessions of the account the change ended; never which. */
      data: { accountId: string; address: string; sessionsEnded: number };
    }
  | {
      type: 'AccountPasswordChangeFailed';
      data: { accountId: string; address: string; reason: PasswordChangeFailure };
    }
  | {
      type: 'ApiTokenIssued';
      data: {
        accountId: string;
        tokenId: string;
        subject: string;
        role: string;
        regions: string[];
        expiresAt: string;
        address: string;
      };
    };

/** Stream of sign-in failures for user names that belong to no account. */
export const UNKNOWN_SIGN_INS_STREAM = 'signin-unknown';
export const accountStream = (accountId: string) => `account-${accountId}`;
/** Keyed by an HMAC of the user name: one account a name, without the name in a stream id. */
export const accountNameStream = (usernameKey: string) => `accountname-${usernameKey}`;
