import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';
import { principalOf } from './request-principal';

/**
 * Injects the authenticated principal into a handler parameter. On a @Public() route there
 * is none, and that is a programming error: it fails loudly (500) instead of handing the
 * handler an undefined principal that scope checks might treat as "no restriction".
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (!principal) throw new Error('@CurrentPrincipal() used on a route without authentication (@Public?)');
    return principal;
  },
);
