/** Injection token of the Buffer that signs and verifies API tokens (LedgerSecrets.jwtSecret). */
export const JWT_SECRET = Symbol('JwtSecret');
