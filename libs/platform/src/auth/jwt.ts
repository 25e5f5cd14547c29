import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { isRole, regionsProblem, type Principal, type Role } from './principal';

/**
 * API tokens: HS256 JWTs signed with the ledger's `jwtSecret` (crypto/master-key.ts).
 *
 * jose 6 is published as ES modules only. The API and the CLI load it through Node's
 * require(esm) (unflagged from Node 20.19, the minimum in package.json); Jest has its own
 * module loader without require(esm) on Node 20, so jest.config.js must let SWC transform
 * node_modules/jose (see the AuthModule wiring notes).
 */

export const JWT_ISSUER = 'ledger-pekerja-rentan';
export const JWT_AUDIENCE = 'ledger-api';
const ALGORITHM = 'HS256';
/** HS256 is only as strong as its key; the generated secrets are 32 bytes. */
const MIN_SECRET_BYTES = 32;
/**
 * The longest a token may live (exp − iat), checked when it is verified: a token signed
 * with a far `exp` (or by a key that leaked) would otherwise stay valid for ever. The token
 * CLI mints at most this much.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 366 * 86_400;
/** How far a token's `iat` may lie in the future (clocks of the minting and serving hosts drift). */
const CLOCK_SKEW_SECONDS = 300;

export type AuthErrorReason = 'expired' | 'invalid' | 'malformed';

/** A token that must not be accepted; `reason` picks the 401 answer. The message is for logs, never secret. */
export class AuthError extends Error {
  constructor(
    readonly reason: AuthErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface TokenRequest {
  sub: string;
  role: Role;
  regions: string[];
  ttlSeconds: number;
}

export async function signToken(secret: Buffer, request: TokenRequest): Promise<string> {
  const { sub, role, regions, ttlSeconds } = request;
  if (sub.trim() === '') throw new Error('token subject must not be empty');
  if (!isRole(role)) throw new Error(`unknown role "${String(role)}"`);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new Error('ttlSeconds must be a positive whole number');
  if (ttlSeconds > MAX_TOKEN_LIFETIME_SECONDS)
    throw new Error(`ttlSeconds must be at most ${MAX_TOKEN_LIFETIME_SECONDS} (366 days)`);
  // Refuse to mint what verifyToken would refuse to accept.
  const problem = regionsProblem(role, regions);
  if (problem) throw new Error(`cannot sign token: ${problem}`);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, regions: [...regions] })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(keyOf(secret));
}

/** The principal a token names, or an AuthError saying why the token is refused. */
export async function verifyToken(secret: Buffer, token: string): Promise<Principal> {
  // A cheap shape check first, so "not a JWT at all" is told apart from "a JWT we reject".
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
    throw new AuthError('malformed', 'not a compact JWT');
  }
  const key = keyOf(secret); // outside the try: a bad server key is a server error, not a 401
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      // An explicit allow-list: 'none' and every other algorithm are refused before the
      // signature is looked at, so a token cannot pick how it is checked.
      algorithms: [ALGORITHM],
      typ: 'JWT',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      // Without a required exp a token would never expire; iat bounds its lifetime.
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    throw toAuthError(error);
  }
  lifetimeCheck(payload);
  return principalOf(payload);
}

/** Refuses a token issued in the future or living longer than MAX_TOKEN_LIFETIME_SECONDS. */
function lifetimeCheck({ iat, exp }: JWTPayload): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof iat !== 'number' || typeof exp !== 'number')
    throw new AuthError('invalid', 'token has no iat/exp');
  if (iat > now + CLOCK_SKEW_SECONDS) throw new AuthError('invalid', 'token issued in the future');
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS || exp > now + MAX_TOKEN_LIFETIME_SECONDS) {
    throw new AuthError('invalid', 'token lifetime exceeds the maximum');
  }
}

function principalOf(payload: JWTPayload): Principal {
  const { sub, role, regions } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') throw new AuthError('invalid', 'token has no subject');
  if (!isRole(role)) throw new AuthError('invalid', 'token names an unknown role');
  if (!Array.isArray(regions) || !regions.every((code): code is string => typeof code === 'string')) {
    throw new AuthError('invalid', 'token regions are not a list of region codes');
  }
  const problem = regionsProblem(role, regions);
  if (problem) throw new AuthError('invalid', `token regions: ${problem}`);
  return { id: sub, role, regions: [...regions] };
}

/**
 * Maps jose's errors by their stable `code` rather than by class: instanceof breaks when
 * the library is loaded twice (ESM and a transformed copy under Jest).
 */
function toAuthError(error: unknown): AuthError {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthError('expired', 'token expired');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new AuthError('malformed', 'token is not a well-formed JWT');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new AuthError('invalid', (error as Error).message);
    default:
      // Anything else (a bug, a broken key) is not the caller's fault, but it must still
      // never let a request through.
      return new AuthError('invalid', 'token could not be verified');
  }
}

function keyOf(secret: Buffer): Uint8Array {
  if (secret.length < MIN_SECRET_BYTES)
    throw new Error(`JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  // A copy in this realm's Uint8Array: jose checks `instanceof Uint8Array`, which a Buffer
  // made in another realm (Jest's sandbox hands out the host's Buffer) fails.
  return new Uint8Array(secret);
}
