import { specFor } from '../shared/decider-spec';
import type { AccountEvent } from './account.events';
import { evolveAccount, initialAccountState } from './account.state';
import { decideChangePassword, type ChangePassword } from './change-password/change-password.decider';
import { newPasswordProblems } from './change-password/password-policy';
import { decideCreateAccount } from './create/create-account.decider';
import { decideDisableAccount } from './disable/disable-account.decider';
import { decideEnableAccount } from './enable/enable-account.decider';
import { decideIssueToken } from './issue-token/issue-token.decider';
import { lockedUntil, MAX_FAILURES, WINDOW_MS } from './sign-in/lockout';
import { decideSignIn, type SignIn } from './sign-in/sign-in.decider';

const created: AccountEvent = {
  type: 'AccountCreated',
  data: {
    accountId: 'a1',
    username: 'op.desa',
    role: 'village_operator',
    regions: ['1603052001'],
    address: 'cli',
  },
};
const disabled: AccountEvent = {
  type: 'AccountDisabled',
  data: { accountId: 'a1', reason: null, address: '10.0.0.1' },
};
const create = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideCreateAccount,
});
const disable = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideDisableAccount,
});
const enable = specFor({
  initialState: initialAccountState,
  evolve: evolveAccount,
  decide: decideEnableAccount,
});
const fold = (events: AccountEvent[]) => events.reduce(evolveAccount, initialAccountState());

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

describe('disabling and enabling', () => {
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
  it('enables a disabled account', () =>
    enable([created, disabled])
      .when({ type: 'EnableAccount', accountId: 'a1', address: '10.0.0.1' })
      .then([{ type: 'AccountEnabled', data: { accountId: 'a1', address: '10.0.0.1' } }]));
});

describe('lock-out', () => {
  const now = 10 * WINDOW_MS;
  it(`locks after ${MAX_FAILURES} failures within the window, until the window after the last`, () => {
    const failures = [now - 5000, now - 4000, now - 3000, now - 2000, now - 1000];
    expect(lockedUntil(failures.slice(1), now)).toBeUndefined();
    expect(lockedUntil(failures, now)).toBe(now - 1000 + WINDOW_MS);
  });
  it('forgets failures older than the window', () => {
    expect(
      lockedUntil([now - WINDOW_MS - 1, now - 4000, now - 3000, now - 2000, now - 1000], now),
    ).toBeUndefined();
  });
});

describe('signing in', () => {
  const base: SignIn = {
    type: 'SignIn',
    accountId: 'a1',
    usernameKey: 'k',
    address: '10.0.0.7',
    passwordMatches: true,
    failuresAt: [],
    now: 1_000_000_000,
    session: 's1',
  };
  it('records a sign-in with the address', () => {
    expect(decideSignIn(base, fold([created]))).toEqual({
      ok: true,
      events: [{ type: 'AccountSignedIn', data: { accountId: 'a1', address: '10.0.0.7', session: 's1' } }],
    });
  });
  it('a wrong password, an unknown name and a disabled account all fail, each recorded with its reason', () => {
    expect(decideSignIn({ ...base, passwordMatches: false }, fold([created]))).toMatchObject({
      ok: false,
      reason: 'password',
    });
    expect(decideSignIn({ ...base, accountId: null }, fold([]))).toMatchObject({
      ok: false,
      reason: 'unknown_user',
      events: [{ type: 'AccountSignInFailed', data: { accountId: null, usernameKey: 'k' } }],
    });
    expect(decideSignIn(base, fold([created, disabled]))).toMatchObject({ ok: false, reason: 'disabled' });
  });
  it('a locked name is refused even with the right password, with the wait', () => {
    const failuresAt = [1, 2, 3, 4, 5].map((i) => base.now - i * 1000);
    expect(decideSignIn({ ...base, failuresAt }, fold([created]))).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterMs: WINDOW_MS - 1000,
    });
  });
});

describe('issuing an API token', () => {
  const admin = fold([
    {
      type: 'AccountCreated',
      data: { accountId: 'ad', username: 'admin', role: 'administrator', regions: ['ID'], address: 'cli' },
    },
  ]);
  const ask = {
    type: 'IssueToken' as const,
    accountId: 'ad',
    tokenId: 't1',
    subject: 'laporan.16',
    role: 'viewer',
    regions: ['16'],
    days: 30,
    now: '2026-01-01T00:00:00.000Z',
    address: '10.0.0.1',
  };
  it('records its terms and expiry', () => {
    expect(decideIssueToken(ask, admin)).toEqual([
      {
        type: 'ApiTokenIssued',
        data: {
          accountId: 'ad',
          tokenId: 't1',
          subject: 'laporan.16',
          role: 'viewer',
          regions: ['16'],
          expiresAt: '2026-01-31T00:00:00.000Z',
          address: '10.0.0.1',
        },
      },
    ]);
  });
  it('refuses a lifetime beyond 366 days, the administrator role, and a non-administrator issuer', () => {
    expect(() => decideIssueToken({ ...ask, days: 367 }, admin)).toThrow(
      expect.objectContaining({ rule: 'range' }),
    );
    expect(() => decideIssueToken({ ...ask, role: 'administrator' }, admin)).toThrow(
      expect.objectContaining({ rule: 'isIn' }),
    );
    expect(() => decideIssueToken(ask, fold([created]))).toThrow(
      expect.objectContaining({ rule: 'token.issuer', kind: 'forbidden' }),
    );
  });
});

describe("changing one's own password", () => {
  const change: ChangePassword = {
    type: 'ChangePassword',
    accountId: 'a1',
    address: '10.0.0.9',
    currentPasswordMatches: true,
    failuresAt: [],
    now: 1_000_000_000,
    otherSessions: 2,
  };
  it('records the change and how many other sessions it ends, nothing of the password', () => {
    expect(decideChangePassword(change, fold([created]))).toEqual({
      ok: true,
      events: [
        { type: 'AccountPasswordChanged', data: { accountId: 'a1', address: '10.0.0.9', sessionsEnded: 2 } },
      ],
    });
  });
  it('a wrong current password is a recorded failure; a locked name is refused even with the right one', () => {
    expect(decideChangePassword({ ...change, currentPasswordMatches: false }, fold([created]))).toEqual({
      ok: false,
      reason: 'password',
      events: [
        {
          type: 'AccountPasswordChangeFailed',
          data: { accountId: 'a1', address: '10.0.0.9', reason: 'password' },
        },
      ],
    });
    const failuresAt = [1, 2, 3, 4, 5].map((i) => change.now - i * 1000);
    expect(decideChangePassword({ ...change, failuresAt }, fold([created]))).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterMs: WINDOW_MS - 1000,
    });
  });
  it('refuses a disabled or unknown account', () => {
    expect(() => decideChangePassword(change, fold([created, disabled]))).toThrow(
      expect.objectContaining({ rule: 'account.disabled', kind: 'forbidden' }),
    );
    expect(() => decideChangePassword(change, fold([]))).toThrow(
      expect.objectContaining({ rule: 'account.notFound', kind: 'not_found' }),
    );
  });
  it('names every rule a new password breaks, from what the request holds alone', () => {
    const context = { username: 'op.desa', currentPassword: 'sandi-lama-2026' };
    const rules = (p: unknown) => newPasswordProblems(p, context).map((r) => `${r.field}:${r.rule}`);
    expect(rules('sandi-baru-yang-panjang')).toEqual([]);
    expect(rules(undefined)).toEqual(['newPassword:isString']);
    expect(rules('pendek')).toEqual(['newPassword:length']);
    expect(rules('x'.repeat(257))).toEqual(['newPassword:length']);
    expect(rules('sandi-lama-2026')).toEqual(['newPassword:notCurrent']);
    expect(rules('OP.DESA-sandi-2026')).toEqual(['newPassword:notUsername']);
    expect(rules('aaaaabbbbbaaaaa')).toEqual(['newPassword:weak']);
    expect(rules('Password123')).toEqual(['newPassword:weak']);
  });
});
