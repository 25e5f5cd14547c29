import { RuleViolation } from '../../shared/rule-violation';
import type { AccountEvent } from '../account.events';
import type { AccountState } from '../account.state';

export interface DisableAccount {
  type: 'DisableAccount';
  accountId: string;
  /** The administrator's own account: nobody locks the last door behind themselves. */
  byAccountId: string;
  reason: string | null;
  address: string;
}

export function decideDisableAccount(command: DisableAccount, state: AccountState): AccountEvent[] {
  if (state.status === 'none')
    throw new RuleViolation('account.notFound', 'Akun tidak ditemukan', 'not_found');
  if (command.accountId === command.byAccountId) {
    throw new RuleViolation(
      'account.self',
      'Administrator tidak dapat menonaktifkan akunnya sendiri',
      'conflict',
    );
  }
  // Disabling twice changes nothing, and says so by deciding no event.
  if (state.status === 'disabled') return [];
  return [
    {
      type: 'AccountDisabled',
      data: { accountId: command.accountId, reason: command.reason, address: command.address },
    },
  ];
}
