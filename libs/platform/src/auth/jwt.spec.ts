import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import {
  AuthError,
  JWT_AUDIENCE,
  JWT_ISSUER,
  MAX_TOKEN_LIFETIME_SECONDS,
  signToken,
  verifyToken,
  type AuthErrorReason,
} from './jwt';

const secret = randomBytes(32);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with `secret` whose claims and header the test controls entirely. */
function craft(
  claims: Record<string, unknown>,
  options: { alg?: string; key?: Buffer } = {},
): Promise<string> {
  return new SignJWT({
    sub: 'ani',
    role: 'viewer',
    regions: ['16'],
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new Uint8Array(options.key ?? secret));
}

async function reasonOf(token: string, key: Buffer = secret): Promise<AuthErrorReason> {
  try {
    await verifyToken(key, token);
  } catch (error) {
    if (error instanceof AuthError) return error.reason;
    throw error;
  }
  throw new Error('token was accepted');
}

describe('signToken / verifyToken', () => {
  it('round-trips the principal, with issuer, audience and expiry set', async () => {
    const token = await signToken(secret, {
      sub: 'ani',
      role: 'finance',
      regions: ['1603', '16'],
      ttlSeconds: 3600,
    });
    await expect(verifyToken(secret, token)).resolves.toEqual({
      id: 'ani',
      role: 'finance',
      regions: ['1603', '16'],
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: 'ani' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('accepts national scope and village operators on villages', async () => {
    const national = await signToken(secret, { sub: 'a', role: 'auditor', regions: ['ID'], ttlSeconds: 60 });
    expect((await verifyToken(secret, national)).regions).toEqual(['ID']);
    const village = await signToken(secret, {
      sub: 'b',
      role: 'village_operator',
      regions: ['1603012011'],
      ttlSeconds: 60,
    });
    expect((await verifyToken(secret, village)).role).toBe('village_operator');
  });

  it('refuses an expired token as expired', async () => {
    expect(await reasonOf(await craft({ iat: now() - 120, exp: now() - 60 }))).toBe('expired');
  });

  it('refuses a token signed with another key, or whose payload was edited, as invalid', async () => {
    expect(await reasonOf(await craft({}, { key: randomBytes(32) }))).toBe('invalid');
    const [header, , signature] = (await craft({ role: 'viewer' })).split('.');
    const edited = b64url({
      sub: 'ani',
      role: 'program_admin',
      regions: ['ID'],
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      exp: now() + 600,
    });
    expect(await reasonOf(`${header}.${edited}.${signature}`)).toBe('invalid');
  });

  it('a forged expired token is invalid, not expired: the signature is checked first', async () => {
    expect(await reasonOf(await craft({ exp: now() - 60 }, { key: randomBytes(32) }))).toBe('invalid');
  });

  it('refuses alg none and any algorithm but HS256', async () => {
    const payload = b64url({
      sub: 'ani',
      role: 'viewer',
      regions: ['ID'],
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      exp: now() + 600,
    });
    expect(await reasonOf(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBe('invalid');
    expect(await reasonOf(`${b64url({ alg: 'none' })}.${payload}.`)).toBe('invalid');
    expect(await reasonOf(await craft({}, { alg: 'HS512' }))).toBe('invalid');
  });

  it.each([
    ['a wrong issuer', { iss: 'someone-else' }],
    ['a wrong audience', { aud: 'other-api' }],
    ['no expiry', { exp: undefined }],
    ['no subject', { sub: undefined }],
    ['an empty subject', { sub: ' ' }],
    ['an unknown role', { role: 'superuser' }],
    ['no role', { role: undefined }],
    ['regions that are not a list', { regions: '16' }],
    ['regions that are not strings', { regions: [16] }],
    ['a region that is not a code', { regions: ['16', '160'] }],
    ['a region written with letters', { regions: ['id'] }],
    ['no regions at all', { regions: [] }],
    ['a village operator on a regency', { role: 'village_operator', regions: ['1603'] }],
    ['a village operator with national scope', { role: 'village_operator', regions: ['ID'] }],
  ])('refuses %s as invalid', async (_what, claims) => {
    expect(await reasonOf(await craft(claims))).toBe('invalid');
  });

  it.each([
    ['an exp in the year 9999', { exp: Math.floor(Date.UTC(9999, 0, 1) / 1000) }],
    [
      'a lifetime one second over the maximum',
      { exp: now() + 10, iat: now() + 10 - MAX_TOKEN_LIFETIME_SECONDS - 1 },
    ],
    ['no iat (its lifetime cannot be bounded)', { iat: undefined }],
    ['an iat an hour in the future', { iat: now() + 3600, exp: now() + 7200 }],
  ])('bounds the lifetime at verification: refuses %s as invalid', async (_what, claims) => {
    expect(await reasonOf(await craft(claims))).toBe('invalid');
  });

  it('accepts a token of exactly the maximum lifetime', async () => {
    const iat = now();
    const token = await craft({ iat, exp: iat + MAX_TOKEN_LIFETIME_SECONDS });
    await expect(verifyToken(secret, token)).resolves.toMatchObject({ id: 'ani' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'a b.c.d', '!!.??.**', `${b64url('x')}.${b64url('y')}.zz`])(
    'refuses %p as malformed',
    async (token) => {
      expect(await reasonOf(token)).toBe('malformed');
    },
  );

  it('refuses to sign what it would refuse to verify', async () => {
    const sign = (claims: Partial<Parameters<typeof signToken>[1]>) =>
      signToken(secret, { sub: 'ani', role: 'viewer', regions: ['16'], ttlSeconds: 60, ...claims });
    await expect(sign({ regions: [] })).rejects.toThrow(/no regions/);
    await expect(sign({ role: 'village_operator', regions: ['16'] })).rejects.toThrow(/village codes/);
    await expect(sign({ ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
    await expect(sign({ ttlSeconds: MAX_TOKEN_LIFETIME_SECONDS + 1 })).rejects.toThrow(/at most/);
    await expect(sign({ sub: '' })).rejects.toThrow(/subject/);
  });

  it('will not sign or verify with a short key', async () => {
    const short = randomBytes(16);
    await expect(
      signToken(short, { sub: 'a', role: 'viewer', regions: ['ID'], ttlSeconds: 60 }),
    ).rejects.toThrow(/32 bytes/);
    await expect(verifyToken(short, await craft({}))).rejects.not.toBeInstanceOf(AuthError);
  });
});
