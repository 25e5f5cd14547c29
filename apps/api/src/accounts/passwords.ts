import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default algorithm) with OWASP's minimum parameters: 19 MiB, two
 * passes, one lane — about 30 ms a hash on the build machine, which bounds what a stolen
 * credentials table is worth without making sign-in slow.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { PASSWORD_MAX, PASSWORD_MIN } from '@ledger/ledger/accounts/change-password/password-policy';

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * A hash to verify against when the user name is unknown, so that an unknown name takes as
 * long to refuse as a wrong password and timing tells nothing about which names exist.
 */
export const dummyHash = () => (dummy ??= hashPassword('tidak-ada-akun-dengan-nama-ini'));
