import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a client's id may be; anything else (too long, spaces, control bytes) is replaced, never echoed. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: the client's `X-Request-Id` when it is a plain token, so that a
 * dashboard can find its request in the log; otherwise a fresh UUID. Fastify hands it to
 * the raw request, where pino-http logs it as `req.id`.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
}

/** Every answer, success or refusal, says which request it answers; call before any other hook. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
