import { RuleViolation, type Reason } from '../../shared/rule-violation';
import { ACCOUNT_ROLES, type AccountEvent, type AccountRole } from '../account.events';
import type { AccountState } from '../account.state';

export interface CreateAccount {
  type: 'CreateAccount';
  accountId: string;
  username: string;
  role: string;
  regions: string[];
  /** Where the request came from: the client address, or `cli`. */
  address: string;
}

/** Login ids: lower-case letters, digits, dot, dash, underscore and @, 3–64 characters. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{2,63}$/;
const REGION = /^(ID|\d{2}|\d{4}|\d{6}|\d{10})$/;
const VILLAGE = /^\d{10}$/;
const NIK_SHAPED = /\d{16}/;

export const isAccountRole = (value: unknown): value is AccountRole =>
  typeof value === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(value);

/**
 * Every broken rule of a new account's fields at once (the form shows them all). The region
 * rules are the tokens' rules (village operators hold village codes), so an account can
 * always be given a session its role accepts.
 */
export function accountFieldProblems(
  command: Omit<CreateAccount, 'type' | 'accountId' | 'address'>,
): Reason[] {
  const reasons: Reason[] = [];
  if (!USERNAME_PATTERN.test(command.username)) {
    reasons.push({
      field: 'username',
      rule: 'pattern',
      message: 'nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah, tanda hubung atau @',
    });
  } else if (NIK_SHAPED.test(command.username)) {
    reasons.push({ field: 'username', rule: 'noNik', message: 'nama pengguna tidak boleh memuat NIK' });
  }
  if (!isAccountRole(command.role)) {
    reasons.push({
      field: 'role',
      rule: 'isIn',
      message: `peran harus salah satu dari: ${ACCOUNT_ROLES.join(', ')}`,
    });
  }
  reasons.push(...regionProblems(command.role, command.regions));
  return reasons;
}

/** The tokens' region rules: 1–50 codes, village operators only village codes. */
export function regionProblems(role: string, regions: readonly string[]): Reason[] {
  if (regions.length === 0 || regions.length > 50) {
    return [{ field: 'regions', rule: 'size', message: 'isi 1–50 kode wilayah (ID untuk nasional)' }];
  }
  const bad = regions.find((code) => typeof code !== 'string' || !REGION.test(code));
  if (bad !== undefined)
    return [{ field: 'regions', rule: 'regionCode', message: `"${String(bad)}" bukan kode wilayah` }];
  if (role === 'village_operator' && regions.some((code) => !VILLAGE.test(code))) {
    return [
      { field: 'regions', rule: 'villageOnly', message: 'operator desa hanya untuk kode desa (10 digit)' },
    ];
  }
  return [];
}

export function decideCreateAccount(command: CreateAccount, state: AccountState): AccountEvent[] {
  if (state.status !== 'none') throw new RuleViolation('account.exists', 'Akun sudah ada', 'conflict');
  const reasons = accountFieldProblems(command);
  if (reasons.length > 0) {
    throw new RuleViolation(reasons[0].rule, 'Data akun tidak valid', 'unprocessable', undefined, reasons);
  }
  return [
    {
      type: 'AccountCreated',
      data: {
        accountId: command.accountId,
        username: command.username,
        role: command.role as AccountRole,
        regions: [...new Set(command.regions)],
        address: command.address,
      },
    },
  ];
}
