import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/**
 * Cookie sessions of the web app, beside the bearer tokens. The platform only knows this
 * port: the application provides it (apps/api/src/accounts) with its credentials store.
 *
 * CSRF protection is the synchronizer-token pattern: every session has a random token kept on
 * the server with it, handed to the page by `POST/GET /api/session`; a cookie-authenticated
 * request other than GET/HEAD/OPTIONS must send it back in `X-CSRF-Token`. A forged form or
 * script on another site has the cookie sent along (at most: it is SameSite=Strict) but
 * cannot know the token.
 */
export const SESSION_COOKIE = 'ledger_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');

export interface SessionAuthenticator {
  /** The session a cookie value names, or undefined when it is unknown, expired or disabled. */
  authenticate(cookieValue: string): Promise<{ principal: Principal; csrf: string } | undefined>;
}

/** The value of one cookie from the Cookie header (no cookie library for one name). */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
