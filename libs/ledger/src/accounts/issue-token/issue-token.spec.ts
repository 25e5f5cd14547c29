import { created, fold } from '../accounts.examples';
import { decideIssueToken } from './issue-token.decider';

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
