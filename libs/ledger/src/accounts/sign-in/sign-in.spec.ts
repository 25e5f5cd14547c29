import { created, disabled, fold } from '../accounts.examples';
import { lockedUntil, MAX_FAILURES, WINDOW_MS } from './lockout';
import { decideSignIn, type SignIn } from './sign-in.decider';

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
