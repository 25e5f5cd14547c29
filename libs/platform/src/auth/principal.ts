/**
 * Who is calling, as established from a verified API token. Pure data: the HTTP layer puts
 * it on the request, handlers pass it to the scope checks in ./scope.
 */

/**
 * `administrator` administers the web app's accounts and issues API tokens; it reads no ledger
 * data (AuthGuard lets it through only routes that name it).
 */
export const ROLES = [
  'village_operator',
  'program_admin',
  'finance',
  'auditor',
  'viewer',
  'administrator',
] as const;

/** Derived from ROLES so the list used for validation can never miss a member of the type. */
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The token's subject (`sub`): a user name or a service name. */
  id: string;
  role: Role;
  /**
   * Region codes the principal may act on, each covering itself and everything below it.
   * National scope is the explicit code 'ID'; an empty list covers nothing — it never means
   * "no restriction".
   */
  regions: string[];
  /** Set for a web app session: the account signed in (`id` is then its user name). */
  accountId?: string;
}

/** The region code that stands for the whole country in a token. */
export const NATIONAL_SCOPE = 'ID';

/** 'ID', or a Kemendagri code of a province (2), regency (4), district (6) or village (10 digits). */
export const TOKEN_REGION_PATTERN = /^(ID|\d{2}|\d{4}|\d{6}|\d{10})$/;

const VILLAGE_CODE = /^\d{10}$/;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Why a role/regions pair cannot make a principal, or undefined when it can. Shared by token
 * verification and the token CLI so a token the CLI refuses to mint is also one the API
 * refuses to accept. Only the shape is checked here; whether a region exists is the
 * minting side's business (the directory may gain or lose codes while a token lives).
 */
export function regionsProblem(role: Role, regions: readonly string[]): string | undefined {
  if (regions.length === 0) return 'no regions (use ID for national scope)';
  const badShape = regions.find((code) => !TOKEN_REGION_PATTERN.test(code));
  if (badShape !== undefined) return `"${badShape}" is not a region code`;
  // Village operators record enrollments for their own village; a wider code would let one
  // operator write for a whole district, so their scope is village codes only.
  if (role === 'village_operator') {
    const notVillage = regions.find((code) => !VILLAGE_CODE.test(code));
    if (notVillage !== undefined)
      return `village_operator regions must be village codes (10 digits), got "${notVillage}"`;
  }
  return undefined;
}
