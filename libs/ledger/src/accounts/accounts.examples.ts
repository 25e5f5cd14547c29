import type { AccountEvent } from './account.events';
import { evolveAccount, initialAccountState } from './account.state';

/** An operator's account as created, and the same account disabled: the past most account specs start from. */
export const created: AccountEvent = {
  type: 'AccountCreated',
  data: {
    accountId: 'a1',
    username: 'op.desa',
    role: 'village_operator',
    regions: ['1603052001'],
    address: 'cli',
  },
};
export const disabled: AccountEvent = {
  type: 'AccountDisabled',
  data: { accountId: 'a1', reason: null, address: '10.0.0.1' },
};
export const fold = (events: AccountEvent[]) => events.reduce(evolveAccount, initialAccountState());
