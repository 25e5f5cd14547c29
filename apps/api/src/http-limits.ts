import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import { AuthError, verifyToken } from '@ledger/platform/auth/jwt';
import { SESSION_COOKIE, cookieValue } from '@ledger/platform/auth/session';
import type { HttpLimits } from '@ledger/platform/config';
import { ProblemException, problemType, type ProblemBody } from '@ledger/platform/http/problem';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * What the HTTP server refuses before a controller runs: too many requests or connections
 * from one client, tokens in the query string, and requests Node's parser cannot read
 * (headers too large, a request that never finishes arriving). Every refusal is a problem
 * details body like the controllers' own.
 */

/** Routes whose answers tell about NIKs (covered elsewhere, already proposed): limited per token. */
const NIK_REVEALING = new Set([
  'POST /api/programs/:id/enrollments',
  'POST /api/programs/:id/enrollments/import',
  'POST /api/participants/lookup',
]);

/** Query parameters that carry a token; never accepted, never logged. */
export const TOKEN_PARAMETERS = ['access_token', 'id_token', 'token'];
const TOKEN_PARAMETER = new RegExp(`([?&](?:${TOKEN_PARAMETERS.join('|')})=)[^&#]*`, 'gi');

/** The URL with the values of token parameters replaced, for logs. */
export function redactTokenParameters(url: string): string {
  return url.replace(TOKEN_PARAMETER, '$1[redacted]');
}

const MINUTE = 60_000;

/**
 * The bucket of a NIK-revealing request: the verified token's subject, so that the several
 * tokens one user holds share it and a forged token cannot spend someone else's; without a
 * valid token, the client address (the guard answers 401 anyway).
 */
function subjectKey(jwtSecret: Buffer) {
  return async (request: FastifyRequest): Promise<string> => {
    const match = /^Bearer +(\S+)/i.exec(request.headers.authorization ?? '');
    // A web app session (no Authorization header): its own bucket, not the office's shared address.
    const session = match ? undefined : cookieValue(request, SESSION_COOKIE);
    if (session) return `ses:${createHash('sha256').update(session).digest('hex')}`;
    if (match) {
      try {
        const principal = await verifyToken(jwtSecret, match[1]);
        return `sub:${createHash('sha256').update(principal.id).digest('hex')}`;
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
      }
    }
    return `ip:${request.ip}`;
  };
}

function rateLimited(_request: FastifyRequest, context: { max: number; ttl: number }) {
  const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
  return new ProblemException(429, 'rate.limited', 'Terlalu banyak permintaan; coba lagi nanti', {
    detail: `Paling banyak ${context.max} permintaan per menit; coba lagi dalam ${seconds} detik`,
    limit: context.max,
    retryAfterSeconds: seconds,
  });
}

function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, requestId: reply.request.id });
}

/** Registers the limits on the Fastify instance; call before the application's routes are added. */
export async function registerHttpLimits(
  fastify: FastifyInstance,
  limits: HttpLimits,
  jwtSecret: Buffer,
): Promise<void> {
  fastify.server.maxConnections = limits.maxConnections;

  // RFC 6750 allows `?access_token=`, but a URL ends up in logs, proxies and browser history.
  fastify.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const named = TOKEN_PARAMETERS.find((name) => query && Object.hasOwn(query, name));
    if (named === undefined) return;
    return sendProblem(reply, {
      type: problemType('auth.queryToken'),
      title: 'Token akses tidak boleh dikirim di URL',
      status: 400,
      detail: 'Kirim token pada header Authorization: Bearer <token>',
      instance: request.url.split('?')[0],
      errors: [{ field: named, rule: 'auth.queryToken', message: `${named} tidak diterima di URL` }],
    });
  });

  // Runs before the rate limiter's own onRoute hook, which reads `config.rateLimit`.
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => NIK_REVEALING.has(`${method} ${route.url}`))) return;
    route.config = {
      ...(route.config as object),
      rateLimit: {
        max: limits.nikRequestsPerMinute,
        timeWindow: MINUTE,
        keyGenerator: subjectKey(jwtSecret),
      },
    } as never;
  });

  await fastify.register(rateLimit, {
    global: true,
    max: limits.requestsPerMinute,
    timeWindow: MINUTE,
    keyGenerator: (request) => `ip:${request.ip}`,
    // Monitoring polls these; they answer without touching the ledger's data.
    allowList: (request) => /^\/(health(\/(live|ready))?|metrics)(\?|$)/.test(request.url),
    errorResponseBuilder: rateLimited,
  });
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route runs
 * (headers larger than the server accepts, a request that timed out arriving, bytes that
 * are not HTTP) is answered as problem details, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // The same steps as Fastify's own handler (which Node's server copies); only the body differs.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, slug, title] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request.headersTooLarge', 'Header permintaan terlalu besar']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request.timeout', 'Permintaan tidak selesai dikirim dalam batas waktu']
        : [400, 'request.malformed', 'Permintaan HTTP tidak dapat dibaca'];
  const body = JSON.stringify({ type: problemType(slug), title, status } satisfies ProblemBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
