import { RuleViolation } from '../../shared/rule-violation';
import type { AccountEvent } from '../account.events';
import type { AccountState } from '../account.state';

export interface EnableAccount {
  type: 'EnableAccount';
  accountId: string;
  address: string;
}

export function decideEnableAccount(command: EnableAccount, state: AccountState): AccountEvent[] {
  if (state.status === 'none')
    throw new RuleViolation('account.notFound', 'Akun tidak ditemukan', 'not_found');
  if (state.status === 'active') return [];
  return [{ type: 'AccountEnabled', data: { accountId: command.accountId, address: command.address } }];
}
