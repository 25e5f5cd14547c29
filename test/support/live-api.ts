/** Calls against an API running as a process of its own (see processes.ts), over real HTTP. */
import { signToken } from '@ledger/platform/auth/jwt';
import type { Role } from '@ledger/platform/auth/principal';
import { programBody, type ProgramBody } from './ledger-fixtures';

/** Secrets of the server modes, taken from the environment: base64 of 32 bytes each. */
export const SERVER_SECRETS = {
  LEDGER_KEK: Buffer.alloc(32, 1).toString('base64'),
  LEDGER_NIK_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
  LEDGER_JWT_SECRET: Buffer.alloc(32, 3).toString('base64'),
  LEDGER_INTEGRITY_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64'),
};

export function bearer(secret: Buffer, regions: string[] = ['1603'], role: Role = 'program_admin'): Promise<string> {
  return signToken(secret, { sub: 'admin', role, regions, ttlSeconds: 3600 });
}

/** Establishes a program (201 expected) and returns its id and consistency token. */
export async function createProgram(
  base: string,
  token: string,
  overrides: Partial<ProgramBody> = {},
): Promise<{ programId: string; consistencyToken: number }> {
  const created = await fetch(`${base}/api/programs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(programBody(overrides)),
  });
  if (created.status !== 201) throw new Error(`creating a program answered ${created.status}: ${await created.text()}`);
  return (await created.json()) as { programId: string; consistencyToken: number };
}
