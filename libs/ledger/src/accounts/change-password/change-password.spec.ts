import { created, disabled, fold } from '../accounts.examples';
import { WINDOW_MS } from '../sign-in/lockout';
import { decideChangePassword, type ChangePassword } from './change-password.decider';
import { newPasswordProblems } from './password-policy';

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
