import { RuleViolation, type Reason } from '../../shared/rule-violation';
import { regionProblems } from '../create/create-account.decider';
import type { AccountEvent } from '../account.events';
import type { AccountState } from '../account.state';

export interface IssueToken {
  type: 'IssueToken';
  accountId: string;
  tokenId: string;
  subject: string;
  role: string;
  regions: string[];
  /** Lifetime asked for, in days. */
  days: number;
  now: string;
  address: string;
}

/** What an API token may live at most: the API refuses tokens living longer. */
export const MAX_TOKEN_DAYS = 366;
/** API tokens are for the ledger's roles; accounts are administered only from a session. */
const TOKEN_ROLES = ['village_operator', 'program_admin', 'finance', 'auditor', 'viewer'];
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

export function decideIssueToken(command: IssueToken, issuer: AccountState): AccountEvent[] {
  if (issuer.status !== 'active' || issuer.role !== 'administrator') {
    throw new RuleViolation(
      'token.issuer',
      'Hanya administrator aktif yang dapat menerbitkan token',
      'forbidden',
    );
  }
  const reasons: Reason[] = [];
  if (!SUBJECT.test(command.subject) || /\d{16}/.test(command.subject)) {
    reasons.push({
      field: 'subject',
      rule: 'pattern',
      message: 'subjek 3–64 karakter: huruf, angka, titik, garis bawah, tanda hubung atau @ (tanpa NIK)',
    });
  }
  if (!TOKEN_ROLES.includes(command.role)) {
    reasons.push({
      field: 'role',
      rule: 'isIn',
      message: `peran harus salah satu dari: ${TOKEN_ROLES.join(', ')}`,
    });
  }
  reasons.push(...regionProblems(command.role, command.regions));
  if (!Number.isSafeInteger(command.days) || command.days < 1 || command.days > MAX_TOKEN_DAYS) {
    reasons.push({ field: 'days', rule: 'range', message: `masa berlaku 1–${MAX_TOKEN_DAYS} hari` });
  }
  if (reasons.length > 0) {
    throw new RuleViolation(
      reasons[0].rule,
      'Permintaan token tidak valid',
      'unprocessable',
      undefined,
      reasons,
    );
  }
  const expiresAt = new Date(Date.parse(command.now) + command.days * 86_400_000).toISOString();
  return [
    {
      type: 'ApiTokenIssued',
      data: {
        accountId: command.accountId,
        tokenId: command.tokenId,
        subject: command.subject,
        role: command.role,
        regions: [...command.regions],
        expiresAt,
        address: command.address,
      },
    },
  ];
}
