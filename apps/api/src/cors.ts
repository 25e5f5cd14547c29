import cors from '@fastify/cors';
import type { CorsOrigins } from '@ledger/platform/config';
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';

const READS = ['GET', 'HEAD'];
const WRITES = ['POST', 'PUT'];

/** What a page's script may send beyond the safelisted headers. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  REQUEST_ID_HEADER,
  'x-correlation-id',
  'if-none-match',
];

/** What a page's script may read of an answer beyond the safelisted headers. */
const EXPOSED_HEADERS = ['etag', REQUEST_ID_HEADER, 'retry-after', 'x-next-cursor', 'content-disposition'];

/** Browsers keep a preflight's answer this long (seconds) before asking again. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Lets the scripts of the configured web pages call the API (LEDGER_CORS_ORIGINS). A page
 * whose origin is not listed gets no CORS header at all, and its preflight the 404 it got
 * before. The API authenticates by a bearer token that a page must hold and send itself, never
 * by a cookie, so no answer allows credentials, and `*` cannot lend anyone else's session
 * to a page; it still allows only reads, so a page that writes must be listed by name.
 */
export async function registerCors(fastify: FastifyInstance, origins: CorsOrigins | null): Promise<void> {
  if (origins === null) return;
  const listed = new Set(origins === '*' ? [] : origins);
  await fastify.register(cors, {
    origin:
      origins === '*'
        ? '*'
        : (origin: string | undefined, allow: (error: Error | null, allowed: boolean) => void) =>
            allow(null, origin !== undefined && listed.has(origin)),
    methods: origins === '*' ? READS : [...READS, ...WRITES],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE,
    // An OPTIONS without Access-Control-Request-Method is answered like a preflight rather
    // than with the plugin's plain-text 400, which would be the API's only non-problem refusal.
    strictPreflight: false,
  });
}
