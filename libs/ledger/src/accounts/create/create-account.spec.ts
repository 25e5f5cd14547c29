import { specFor } from '../../shared/decider-spec';
import { evolveAccount, initialAccountState } from '../account.state';
import { created } from '../accounts.examples';
import { decideCreateAccount } from './create-account.decider';

const create = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideCreateAccount,
});

describe('creating an account', () => {
  it('records the name, role and regions', () =>
    create([])
      .when({
        type: 'CreateAccount',
        address: 'cli',
        accountId: 'a1',
        username: 'op.desa',
        role: 'village_operator',
        regions: ['1603052001'],
      })
      .then([created]));
  it('refuses a village operator with a regency', () =>
    create([])
      .when({
        type: 'CreateAccount',
        address: 'cli',
        accountId: 'a1',
        username: 'op.desa',
        role: 'village_operator',
        regions: ['1603'],
      })
      .thenThrows('villageOnly'));
  it('refuses a NIK as a user name and an unknown role', () => {
    create([])
      .when({
        type: 'CreateAccount',
        address: 'cli',
        accountId: 'a1',
        username: 'x3201010101900001',
        role: 'viewer',
        regions: ['16'],
      })
      .thenThrows('noNik');
    create([])
      .when({
        type: 'CreateAccount',
        address: 'cli',
        accountId: 'a1',
        username: 'abc',
        role: 'root',
        regions: ['16'],
      })
      .thenThrows('isIn');
  });
  it('refuses creating twice', () =>
    create([created])
      .when({
        type: 'CreateAccount',
        address: 'cli',
        accountId: 'a1',
        username: 'op.desa',
        role: 'viewer',
        regions: ['16'],
      })
      .thenThrows('account.exists', 'conflict'));
});
