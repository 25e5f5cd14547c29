import { specFor } from '../../shared/decider-spec';
import { evolveAccount, initialAccountState } from '../account.state';
import { created, disabled } from '../accounts.examples';
import { decideDisableAccount } from './disable-account.decider';

const disable = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideDisableAccount,
});

describe('disabling an account', () => {
  it('disables once; disabling again decides nothing', () => {
    disable([created])
      .when({ type: 'DisableAccount', accountId: 'a1', byAccountId: 'b', reason: null, address: '10.0.0.1' })
      .then([disabled]);
    disable([created, disabled])
      .when({ type: 'DisableAccount', accountId: 'a1', byAccountId: 'b', reason: null, address: '10.0.0.1' })
      .then([]);
  });
  it('never disables the administrator doing it, nor an unknown account', () => {
    disable([created])
      .when({ type: 'DisableAccount', accountId: 'a1', byAccountId: 'a1', reason: null, address: '10.0.0.1' })
      .thenThrows('account.self');
    disable([])
      .when({ type: 'DisableAccount', accountId: 'a1', byAccountId: 'b', reason: null, address: '10.0.0.1' })
      .thenThrows('account.notFound', 'not_found');
  });
});
