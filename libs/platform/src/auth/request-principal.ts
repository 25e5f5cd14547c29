import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AuthGuard on every non-public controller route; absent on public ones. */
    principal?: Principal;
    /** How the principal was established: a bearer token or the web app's session cookie. */
    authenticatedBy?: 'token' | 'session';
  }
}

/** The request's authenticated principal, if AuthGuard established one. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return request.principal;
}
