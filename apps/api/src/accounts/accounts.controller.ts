import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, signToken, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { issueToken } from '@ledger/ledger/accounts/issue-token/issue-token.handler';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import { Inject } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountsService } from './accounts.service';
import { accountCommandContext, objectBody } from './request-context';

function reasonOf(body: Record<string, unknown>): string | null {
  const reason = body.reason;
  if (reason === undefined || reason === null || reason === '') return null;
  if (typeof reason !== 'string' || reason.length > 500 || /\d{16}/.test(reason.replace(/[\s.-]/g, ''))) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Alasan tidak valid', {
      errors: [{ field: 'reason', rule: 'noNik', message: 'alasan paling banyak 500 karakter, tanpa NIK' }],
    });
  }
  return reason;
}

/** Accounts of the web app, administered by the `administrator` role. */
@ApiTags('accounts')
@Controller('api')
@Roles('administrator')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  @Get('accounts')
  @ApiOperation({ summary: 'The accounts (user name, role, regions, disabled)' })
  async list() {
    return { items: await this.accounts.list() };
  }

  @Post('accounts')
  @ApiOperation({ summary: 'Creates an account with a role, its regions and a first password' })
  async create(
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const body = objectBody(raw);
    return this.accounts.create(accountCommandContext(request, principal, body), body, request.ip);
  }

  @Post('accounts/:id/disabling')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Disables an account; its sessions end at once' })
  async disable(
    @Param('id', uuidParam()) id: string,
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const body = objectBody(raw ?? {});
    const by = principal.accountId ?? principal.id;
    return this.accounts.setDisabled(
      accountCommandContext(request, principal, body),
      id,
      by,
      true,
      reasonOf(body),
      request.ip,
    );
  }

  @Post('accounts/:id/enabling')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enables a disabled account again' })
  async enable(
    @Param('id', uuidParam()) id: string,
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    return this.accounts.setDisabled(
      accountCommandContext(request, principal, raw ?? {}),
      id,
      principal.id,
      false,
      null,
      request.ip,
    );
  }

  @Post('tokens')
  @ApiOperation({
    summary: 'Issues an API token (for a report builder) with a role, regions and an expiry in days',
  })
  async token(
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const body = objectBody(raw);
    if (!principal.accountId) {
      throw new ProblemException(
        HttpStatus.FORBIDDEN,
        'token.session',
        'Token API diterbitkan dari sesi administrator',
      );
    }
    const command = {
      accountId: principal.accountId,
      subject: typeof body.subject === 'string' ? body.subject : '',
      role: typeof body.role === 'string' ? body.role : '',
      regions: Array.isArray(body.regions)
        ? body.regions.filter((r): r is string => typeof r === 'string')
        : [],
      days: typeof body.days === 'number' ? body.days : Number.NaN,
      address: request.ip,
    };
    const written = await issueToken(
      { store: this.runtime.store },
      accountCommandContext(request, principal, body),
      command,
      (issued) =>
        signToken(this.runtime.secrets.jwtSecret, {
          sub: issued.subject,
          role: issued.role as Principal['role'],
          regions: issued.regions,
          ttlSeconds: command.days * 86_400,
        }),
    );
    if (written.token === undefined) {
      // A repeated Idempotency-Key: the token was shown once and is not kept anywhere.
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'token.repeated',
        'Token ini sudah diterbitkan dan hanya ditampilkan sekali',
        {
          tokenId: written.tokenId,
        },
      );
    }
    return written;
  }
}
