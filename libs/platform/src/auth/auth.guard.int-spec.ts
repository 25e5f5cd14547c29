import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SignJWT } from 'jose';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { AuthModule } from './auth.module';
import { CurrentPrincipal } from './current-principal.decorator';
import { JWT_AUDIENCE, JWT_ISSUER, signToken } from './jwt';
import type { Principal } from './principal';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';

const secret = randomBytes(32);

@Controller('things')
class ThingsController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Get('mine')
  mine(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Roles('program_admin')
  @Get('admin')
  admin(@CurrentPrincipal() principal: Principal) {
    return { admin: principal.id };
  }
}

/** @Public() on the class opens all its routes, as the lead will do for /health and /metrics. */
@Public()
@Controller('health')
class HealthLikeController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}

@Module({ imports: [AuthModule.forSecret(secret)], controllers: [ThingsController, HealthLikeController] })
class TestModule {}

describe('AuthGuard (Nest on Fastify)', () => {
  let app: NestFastifyApplication;
  const get = (url: string, token?: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
  const tokenFor = (role: Principal['role'], regions = ['16'], ttlSeconds = 600) =>
    signToken(secret, { sub: `${role}-test`, role, regions, ttlSeconds });

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemDetailsFilter());
    // SwaggerModule.setup registers /docs, /docs-json and friends with httpAdapter.get — plain
    // Fastify routes that Nest's router (and so every guard) never sees. The UI itself needs
    // @fastify/static, whose ESM-only dependencies Jest cannot load on Node 20, so here the
    // document is served without the UI and /docs gets a plain route registered the same way;
    // test/startup.e2e-spec.ts fetches the real /docs from a running API.
    SwaggerModule.setup(
      'docs',
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()),
      {
        ui: false,
      },
    );
    app
      .getHttpAdapter()
      .get('/docs', (_request: unknown, reply: { send(body: string): void }) => reply.send('ui'));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const expectUnauthorized = async (
    response: Awaited<ReturnType<typeof get>>,
    slug: string,
    challenge: RegExp,
  ) => {
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(challenge);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(new RegExp(`/${slug}$`)),
      status: 401,
    });
  };

  it('a missing Authorization header is 401 auth.required with a Bearer challenge and problem details', async () => {
    const response = await get('/things/mine');
    await expectUnauthorized(response, 'auth.required', /^Bearer realm="ledger-api"$/);
    expect(response.json()).toMatchObject({ title: 'Token akses diperlukan', instance: '/things/mine' });
  });

  it('another scheme or an empty bearer is treated as missing', async () => {
    const basic = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: '/things/mine',
        headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
      });
    await expectUnauthorized(basic, 'auth.required', /^Bearer /);
    await expectUnauthorized(await get('/things/mine', ''), 'auth.required', /^Bearer /);
  });

  it('a forged signature is 401 auth.invalid', async () => {
    const forged = await signToken(randomBytes(32), {
      sub: 'mallory',
      role: 'program_admin',
      regions: ['ID'],
      ttlSeconds: 600,
    });
    await expectUnauthorized(await get('/things/mine', forged), 'auth.invalid', /error="invalid_token"/);
  });

  it('an expired token is 401 auth.expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ role: 'viewer', regions: ['16'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('ani')
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new Uint8Array(secret));
    await expectUnauthorized(
      await get('/things/mine', expired),
      'auth.expired',
      /error_description="The access token expired"/,
    );
  });

  it('an unsigned (alg none) token is 401 auth.invalid', async () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', role: 'program_admin', regions: ['ID'], iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp })}.`;
    await expectUnauthorized(await get('/things/mine', unsigned), 'auth.invalid', /error="invalid_token"/);
  });

  it('garbage in the header is 401 auth.invalid', async () => {
    await expectUnauthorized(await get('/things/mine', 'not-a-jwt'), 'auth.invalid', /error="invalid_token"/);
  });

  it('a good token reaches the handler, which gets the principal', async () => {
    const response = await get('/things/mine', await tokenFor('finance', ['1603', '11']));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'finance-test', role: 'finance', regions: ['1603', '11'] });
  });

  it('@Roles refuses other roles with 403 auth.role naming the required roles', async () => {
    const response = await get('/things/admin', await tokenFor('viewer'));
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/\/auth\.role$/),
      status: 403,
      requiredRoles: ['program_admin'],
      role: 'viewer',
      detail: expect.stringContaining('program_admin'),
    });
  });

  it('@Roles lets the listed role through', async () => {
    const response = await get('/things/admin', await tokenFor('program_admin', ['ID']));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ admin: 'program_admin-test' });
  });

  it('@Roles still needs a token first: no token is 401, not 403', async () => {
    await expectUnauthorized(await get('/things/admin'), 'auth.required', /^Bearer /);
  });

  it('public routes and public controllers answer without a token', async () => {
    expect((await get('/things/open')).statusCode).toBe(200);
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    // A bad token on a public route is ignored rather than refused.
    expect((await get('/health', 'not-a-jwt')).statusCode).toBe(200);
  });

  it('Swagger routes are outside the guard (registered on Fastify, not as controllers)', async () => {
    expect((await get('/docs')).statusCode).toBe(200);
    expect((await get('/docs-json')).statusCode).toBe(200);
  });
});
