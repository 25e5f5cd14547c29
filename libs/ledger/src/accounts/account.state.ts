import type { AccountEvent, AccountRole } from './account.events';

export interface AccountState {
  status: 'none' | 'active' | 'disabled';
  username: string | null;
  role: AccountRole | null;
  regions: string[];
}

export const initialAccountState = (): AccountState => ({
  status: 'none',
  username: null,
  role: null,
  regions: [],
});

/** Sign-ins and tokens change nothing the deciders look at. */
export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated':
      return {
        status: 'active',
        username: event.data.username,
        role: event.data.role,
        regions: [...event.data.regions],
      };
    case 'AccountDisabled':
      return { ...state, status: 'disabled' };
    case 'AccountEnabled':
      return { ...state, status: 'active' };
    default:
      return state;
  }
}
