import { regions } from '@ledger/ledger/regions/region-directory';
import { signToken } from '@ledger/platform/auth/jwt';
import { loadJwtSecret } from '@ledger/platform/auth/jwt-secret';
import { NATIONAL_SCOPE, ROLES, isRole, type Role } from '@ledger/platform/auth/principal';
import { loadConfig } from '@ledger/platform/config';
import { CliError, seeHelp } from '../cli-error';

const HELP = seeHelp('token');
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Tokens cannot be revoked (short of rotating the secret), so a typo must not mint one for decades. */
const MAX_TTL_SECONDS = 366 * 86_400;
const VILLAGE_CODE = /^\d{10}$/;

/**
 * Mints an API token signed with the key the API verifies with. Only the token goes to
 * stdout, so `TOKEN=$(npm run -s cli -- token …)` works; every mistake is one line, exit 2.
 */
export async function tokenCommand(options: {
  role?: string;
  region?: string[];
  sub?: string;
  ttl: string;
}): Promise<void> {
  const role = parseRole(options.role);
  const regionCodes = parseRegions(role, options.region ?? []);
  const ttlSeconds = parseTtl(options.ttl);
  const sub = options.sub ?? `${role}-cli`;
  if (sub.trim() === '') throw new CliError('--sub must not be empty');

  const config = loadConfig();
  let secret: Buffer;
  try {
    secret = loadJwtSecret(config);
  } catch (error) {
    // Missing or malformed LEDGER_* variables are the caller's configuration to fix (exit 2);
    // a damaged secrets.json in embedded mode stays an operational failure (exit 1).
    if (config.store === 'sqlite') throw error;
    throw new CliError((error as Error).message);
  }
  const token = await signToken(secret, { sub, role, regions: regionCodes, ttlSeconds });
  process.stdout.write(`${token}\n`);
}

function parseRole(value: string | undefined): Role {
  if (value === undefined) throw new CliError(`--role is required; ${HELP}`);
  if (!isRole(value)) throw new CliError(`unknown role "${value}"; roles: ${ROLES.join(', ')}`);
  return value;
}

function parseRegions(role: Role, values: string[]): string[] {
  const codes = [...new Set(values.map((code) => code.trim()))];
  if (codes.length === 0) {
    // No default scope: an omitted --region must not silently become national.
    throw new CliError(
      role === 'village_operator'
        ? 'village_operator needs --region <village code> (10 digits)'
        : `${role} needs --region <code> (use --region ${NATIONAL_SCOPE} for national scope)`,
    );
  }
  const directory = regions();
  for (const code of codes) {
    if (code !== NATIONAL_SCOPE && !directory.has(code)) {
      throw new CliError(
        `unknown region "${code}": not in the region directory (use ${NATIONAL_SCOPE} for national scope)`,
      );
    }
    if (role === 'village_operator' && !VILLAGE_CODE.test(code)) {
      throw new CliError(`village_operator regions must be village codes (10 digits), got "${code}"`);
    }
  }
  return codes;
}

function parseTtl(value: string): number {
  const match = /^([1-9]\d*)([smhd])$/.exec(value.trim());
  if (!match) throw new CliError(`--ttl "${value}" is not a duration like 30m, 8h or 7d`);
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  if (seconds > MAX_TTL_SECONDS)
    throw new CliError(`--ttl ${value} is longer than 366 days; tokens cannot be revoked`);
  return seconds;
}
