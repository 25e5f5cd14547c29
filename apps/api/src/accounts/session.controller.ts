import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  Public,
  ROLES,
  Roles,
  SESSION_COOKIE,
  cookieValue,
  type Principal,
} from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService } from './accounts.service';
import { objectBody } from './request-context';

/** Sign-in, the current session, one's own password, sign-out. Every role, the administrator included. */
@ApiTags('session')
@Controller('api/session')
@Roles(...ROLES)
export class SessionController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sign in: sets the HTTP-only session cookie and returns the user and the CSRF token',
  })
  async signIn(
    @Body() raw: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = objectBody(raw);
    const errors = (['username', 'password'] as const)
      .filter(
        (field) =>
          typeof body[field] !== 'string' || body[field] === '' || (body[field] as string).length > 256,
      )
      .map((field) => ({
        field,
        rule: 'isString',
        message: `${field === 'username' ? 'nama pengguna' : 'kata sandi'} wajib diisi (paling banyak 256 karakter)`,
      }));
    if (errors.length > 0) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
        errors,
      });
    }
    try {
      const signedIn = await this.accounts.signIn(
        body.username as string,
        body.password as string,
        request.ip,
      );
      void reply.header(
        'Set-Cookie',
        this.cookie(request, signedIn.sessionId, Math.floor((signedIn.expiresAt - Date.now()) / 1000)),
      );
      return {
        user: signedIn.user,
        csrfToken: signedIn.csrfToken,
        expiresAt: new Date(signedIn.expiresAt).toISOString(),
      };
    } catch (error) {
      this.retryAfter(error, reply);
      throw error;
    }
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Who is signed in with the session cookie, and its CSRF token; `user: null` when nobody is',
  })
  async current(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    // Public, so that a page asking "is anybody signed in?" gets an answer rather than a 401
    // (which browsers report as an error): no cookie, or one that no longer works, is null.
    const cookie = cookieValue(request, SESSION_COOKIE);
    const found = cookie ? await this.accounts.authenticate(cookie) : undefined;
    const session = found && cookie ? await this.accounts.sessionOf(cookie) : undefined;
    if (!found || !session) return { user: null, csrfToken: null, expiresAt: null };
    const { principal } = found;
    return {
      user: {
        accountId: principal.accountId ?? null,
        username: principal.id,
        role: principal.role,
        regions: principal.regions,
      },
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Changes the signed-in user’s own password (needs X-CSRF-Token): `currentPassword` and `newPassword`; ' +
      'ends the account’s other sessions. A wrong current password counts towards the sign-in lock-out.',
  })
  async changePassword(
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = objectBody(raw);
    try {
      return await this.accounts.changePassword(this.sessionCookie(request), principal, body, request.ip);
    } catch (error) {
      this.retryAfter(error, reply);
      throw error;
    }
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: ends the session (needs X-CSRF-Token) and clears the cookie' })
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.accounts.signOut(this.sessionCookie(request), principal, request.ip);
    void reply.header('Set-Cookie', this.cookie(request, '', 0));
  }

  /** A locked name's refusal says when to come back. */
  private retryAfter(error: unknown, reply: FastifyReply): void {
    if (error instanceof ProblemException && error.getStatus() === 429) {
      const seconds = (error.getResponse() as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (seconds) void reply.header('Retry-After', String(seconds));
    }
  }

  /** The session cookie the request was authenticated with; a bearer token has none (400). */
  private sessionCookie(request: FastifyRequest): string {
    const cookie = request.authenticatedBy === 'session' ? cookieValue(request, SESSION_COOKIE) : undefined;
    if (!cookie) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'auth.noSession',
        'Permintaan ini tidak memakai sesi',
      );
    }
    return cookie;
  }

  private cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
    const { cookieSecure } = this.accounts.config;
    const secure = cookieSecure === 'always' || (cookieSecure === 'auto' && request.protocol === 'https');
    return [
      `${SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${maxAgeSeconds}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ');
  }
}
