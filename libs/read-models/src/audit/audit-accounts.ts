import type { RecordedEvent } from '@ledger/event-store';
import type { AccountEvent } from '@ledger/ledger/accounts/account.events';
import type { AuditActionCode } from './audit-actions';
import type { AuditRow } from './audit.schema';
import { accountRegion, regionColumns, type Subject } from './audit-subjects';

/**
 * The audit row of an account's event: which account (its user name, never a person's name),
 * from which address, and the account's region. Never the session reference the events keep,
 * nor the HMAC of a user name that belongs to no account (a mistyped password, perhaps).
 */
export function accountAudit(
  recorded: RecordedEvent,
  looked: Subject | undefined,
): { action: AuditActionCode; at: Partial<AuditRow>; subject?: [string, Subject] } | null {
  const event = recorded as unknown as AccountEvent;
  const account = looked?.username ?? null;
  const region = looked?.region_code ?? null;
  /** The actor's scope for an account's own act: sign-ins before it was recorded with them. */
  const ownScope = recorded.metadata.actor?.region ?? looked?.scope ?? null;
  const detail = (value: Record<string, unknown>) => JSON.stringify(value);
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      const own = accountRegion(d.regions);
      return {
        action: 'account.create',
        at: {
          ...regionColumns(own),
          detail: detail({ account: d.username, role: d.role, regions: d.regions, address: d.address }),
        },
        subject: [
          d.accountId,
          {
            region_code: own,
            program_id: null,
            import_id: null,
            position: null,
            username: d.username,
            account_role: d.role,
            scope: d.regions.join(','),
          },
        ],
      };
    }
    case 'AccountDisabled':
      return {
        action: 'account.disable',
        at: {
          ...regionColumns(region),
          reason: event.data.reason,
          detail: detail({ account, address: event.data.address }),
        },
      };
    case 'AccountEnabled':
      return {
        action: 'account.enable',
        at: { ...regionColumns(region), detail: detail({ account, address: event.data.address }) },
      };
    case 'AccountSignedIn':
      return {
        action: 'account.sign_in',
        at: {
          ...regionColumns(region),
          actor_scope: ownScope,
          detail: detail({ account, address: event.data.address }),
        },
      };
    case 'AccountSignInFailed':
      return {
        action: 'account.sign_in_failed',
        at: {
          ...regionColumns(event.data.accountId === null ? null : region),
          detail: detail({
            account: event.data.accountId === null ? null : account,
            address: event.data.address,
            failure: event.data.reason,
          }),
        },
      };
    case 'AccountSignedOut':
      return {
        action: 'account.sign_out',
        at: {
          ...regionColumns(region),
          actor_scope: ownScope,
          detail: detail({ account, address: event.data.address }),
        },
      };
    case 'AccountPasswordChanged':
      return {
        action: 'account.change_password',
        at: {
          ...regionColumns(region),
          actor_scope: ownScope,
          detail: detail({ account, address: event.data.address, sessionsEnded: event.data.sessionsEnded }),
        },
      };
    case 'AccountPasswordChangeFailed':
      return {
        action: 'account.change_password_failed',
        at: {
          ...regionColumns(region),
          actor_scope: ownScope,
          detail: detail({ account, address: event.data.address, failure: event.data.reason }),
        },
      };
    case 'ApiTokenIssued': {
      // The token's own scope is what it opens: a regency's auditor sees the tokens for it.
      const d = event.data;
      return {
        action: 'account.issue_token',
        at: {
          ...regionColumns(accountRegion(d.regions)),
          detail: detail({
            tokenId: d.tokenId,
            subject: d.subject,
            role: d.role,
            regions: d.regions,
            expiresAt: d.expiresAt,
            address: d.address,
          }),
        },
      };
    }
    default:
      return null;
  }
}

export const ACCOUNT_EVENT_TYPES = [
  'AccountCreated',
  'AccountDisabled',
  'AccountEnabled',
  'AccountSignedIn',
  'AccountSignInFailed',
  'AccountSignedOut',
  'AccountPasswordChanged',
  'AccountPasswordChangeFailed',
  'ApiTokenIssued',
] as const;
