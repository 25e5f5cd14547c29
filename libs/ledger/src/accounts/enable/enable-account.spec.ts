import { specFor } from '../../shared/decider-spec';
import { evolveAccount, initialAccountState } from '../account.state';
import { created, disabled } from '../accounts.examples';
import { decideEnableAccount } from './enable-account.decider';

const enable = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideEnableAccount,
});

describe('enabling an account', () => {
  it('enables a disabled account', () =>
    enable([created, disabled])
      .when({ type: 'EnableAccount', accountId: 'a1', address: '10.0.0.1' })
      .then([{ type: 'AccountEnabled', data: { accountId: 'a1', address: '10.0.0.1' } }]));
});
