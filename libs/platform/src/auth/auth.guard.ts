import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { JWT_SECRET } from './jwt-secret.token';
import { AuthError, verifyToken } from './jwt';
import type { Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import './request-principal';
import { REQUIRED_ROLES } from './roles.decorator';
import {
  CSRF_HEADER,
  SESSION_AUTHENTICATOR,
  SESSION_COOKIE,
  cookieValue,
  type SessionAuthenticator,
} from './session';
import { timingSafeEqual } from 'node:crypto';

const REALM = 'ledger-api';
/** RFC 6750 §3: the scheme, and for a refused token why, so clients know to get a new one. */
const CHALLENGE = {
  required: `Bearer realm="${REALM}"`,
  invalid: `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is invalid"`,
  expired: `Bearer realm="${REALM}", error="invalid_token", error_description="The access token expired"`,
} as const;
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard (registered as APP_GUARD by AuthModule): every controller route needs
 * `Authorization: Bearer <jwt>` unless it is marked @Public(). Routes registered on Fastify
 * directly (Swagger UI at /docs) never pass through Nest guards, so they stay open.
 *
 * Without an Authorization header, the web app's session cookie is accepted instead (when the
 * application provides sessions): its writes need the session's CSRF token. A request with
 * an Authorization header is judged by the token alone, exactly as before sessions existed.
 *
 * The `administrator` role administers accounts and nothing else: it passes only routes whose
 * @Roles name it, so an account administrator reads no ledger data.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) private readonly secret: Buffer,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    // Only HTTP is served; any other transport added later is refused until it is thought through.
    if (context.getType() !== 'http') return false;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();

    const session =
      request.headers.authorization === undefined && this.sessions
        ? cookieValue(request, SESSION_COOKIE)
        : undefined;
    if (session !== undefined && this.sessions) {
      const found = await this.sessions.authenticate(session);
      if (!found) {
        throw new ProblemException(401, 'auth.session', 'Sesi tidak berlaku; silakan masuk lagi');
      }
      if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers[CSRF_HEADER], found.csrf)) {
        throw new ProblemException(403, 'auth.csrf', 'Token CSRF tidak ada atau tidak cocok', {
          detail: 'Kirim header X-CSRF-Token dari jawaban /api/session',
        });
      }
      request.principal = found.principal;
      request.authenticatedBy = 'session';
      return this.checkRole(targets, request.principal.role);
    }

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

    request.authenticatedBy = 'token';
    return this.checkRole(targets, request.principal.role);
  }

  private checkRole(targets: Parameters<Reflector['getAllAndOverride']>[1], role: Role): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const refused = required ? !required.includes(role) : role === 'administrator';
    if (refused) {
      throw new ProblemException(403, 'auth.role', 'Peran token tidak diizinkan untuk permintaan ini', {
        detail: required
          ? `Diperlukan salah satu peran: ${required.join(', ')}`
          : 'Administrator akun tidak membaca maupun menulis data buku besar',
        requiredRoles: required ?? [],
        role,
      });
    }
    return true;
  }
}

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
