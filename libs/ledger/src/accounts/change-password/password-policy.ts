import type { Reason } from '../../shared/rule-violation';

export const PASSWORD_MIN = 10;
/** argon2 takes any length; a megabyte "password" would only cost the server time. */
export const PASSWORD_MAX = 256;

/**
 * Passwords that head every leaked list, in the forms an office would pick. Not a dictionary:
 * length and variety do most of the work, this only turns away the very first guesses.
 */
const COMMON = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'katasandi123',
  'katasandi1234',
  'rahasia123',
  'rahasia1234',
  'bismillah123',
  'indonesia123',
  'indonesia1945',
  'admin12345',
  'administrator',
]);

/**
 * Every rule a new password breaks, at once. Checked against what the request itself holds
 * (the user name, the current password as typed), never against the stored hash, so the answer
 * tells nothing about the password in force and needs no lock-out of its own.
 */
export function newPasswordProblems(
  newPassword: unknown,
  context: { username: string; currentPassword: string },
): Reason[] {
  const field = 'newPassword';
  if (typeof newPassword !== 'string' || newPassword === '')
    return [{ field, rule: 'isString', message: 'kata sandi baru wajib diisi' }];
  if (newPassword.length < PASSWORD_MIN || newPassword.length > PASSWORD_MAX)
    return [{ field, rule: 'length', message: `kata sandi baru ${PASSWORD_MIN}–${PASSWORD_MAX} karakter` }];
  const reasons: Reason[] = [];
  if (newPassword === context.currentPassword)
    reasons.push({ field, rule: 'notCurrent', message: 'kata sandi baru harus berbeda dari yang sekarang' });
  const lower = newPassword.toLowerCase();
  if (context.username.length >= 3 && lower.includes(context.username.toLowerCase()))
    reasons.push({ field, rule: 'notUsername', message: 'kata sandi baru tidak boleh memuat nama pengguna' });
  if (new Set(newPassword).size < 5 || COMMON.has(lower.replace(/\s+/g, '')))
    reasons.push({ field, rule: 'weak', message: 'kata sandi baru terlalu mudah ditebak' });
  return reasons;
}
