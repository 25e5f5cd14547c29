import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { JWT_SECRET } from './jwt-secret.token';
import { AuthError, verifyToken } from './jwt';
import type { Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import './request-principal';
import { REQUIRED_ROLES } from './roles.decorator';

const REALM = 'ledger-api';
/** RFC 6750 §3: the scheme, and for a refused token why, so clients know to get a new one. */
const CHALLENGE = {
  required: `Bearer realm="${REALM}"`,
  invalid: `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is invalid"`,
  expired: `Bearer realm="${REALM}", error="invalid_token", error_description="The access token expired"`,
} as const;
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Global guard (registered as APP_GUARD by AuthModule): every controller route needs
 * `Authorization: Bearer <jwt>` unless it is marked @Public(). Routes registered on Fastify
 * directly (Swagger UI at /docs) never pass through Nest guards, so they stay open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) private readonly secret: Buffer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    // Only HTTP is served; any other transport added later is refused until it is thought through.
    if (context.getType() !== 'http') return false;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();

    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) {
      void reply.header('WWW-Authenticate', CHALLENGE.required);
      throw new ProblemException(401, 'auth.required', 'Token akses diperlukan', {
        detail: 'Kirim header Authorization: Bearer <token>',
      });
    }

    try {
      request.principal = await verifyToken(this.secret, match[1] as string);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const expired = error.reason === 'expired';
      // The reply's headers survive until the exception filter sends the problem body.
      void reply.header('WWW-Authenticate', expired ? CHALLENGE.expired : CHALLENGE.invalid);
      throw expired
        ? new ProblemException(401, 'auth.expired', 'Token akses kedaluwarsa')
        : new ProblemException(401, 'auth.invalid', 'Token akses tidak sah');
    }

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.includes(request.principal.role)) {
      throw new ProblemException(403, 'auth.role', 'Peran token tidak diizinkan untuk permintaan ini', {
        detail: `Diperlukan salah satu peran: ${required.join(', ')}`,
        requiredRoles: required,
        role: request.principal.role,
      });
    }
    return true;
  }
}
