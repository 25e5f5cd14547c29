import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { principalOf } from '@ledger/platform/auth/request-principal';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import type { LedgerRuntime } from '@ledger/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Where everything an answer is computed from stands, as one string: the log's head (the
 * participant history reads the log itself), each read model's checkpoint with its
 * generation and version (a read model catching up, or rebuilt, changes its answers while
 * the head stays), and the day in Indonesia (reports default to today).
 */
export type AnswerBasis = () => Promise<string>;

export function answerBasis(runtime: LedgerRuntime): AnswerBasis {
  return async () => {
    const [head, checkpoints] = await Promise.all([
      runtime.store.headPosition(),
      runtime.read.query
        .selectFrom('projection_checkpoints')
        .select(['name', 'position', 'generation', 'version'])
        .orderBy('name')
        .execute(),
    ]);
    return JSON.stringify([
      head,
      checkpoints.map((c) => `${c.name}:${c.version}:${c.generation}:${c.position}`),
      todayInIndonesia(new Date()),
    ]);
  };
}

/**
 * The routes answered from the read models; the projections' status also carries live counters,
 * and the web app's session answer depends on a cookie and a clock rather than on the log.
 */
function answersFromReadModels(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    route !== undefined &&
    route.startsWith('/api/') &&
    route !== '/api/projections' &&
    route !== '/api/session'
  );
}

function tagOf(basis: string, request: FastifyRequest): string {
  const principal = principalOf(request);
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        basis,
        request.url,
        request.headers.accept ?? '',
        // Two callers of different scopes (or roles) see different answers at the same URL.
        principal ? [principal.id, principal.role, principal.regions] : null,
      ]),
    )
    .digest('base64url')
    .slice(0, 27);
  return `W/"${digest}"`;
}

/**
 * Reports written as a stream (CSV and XLSX exports): their tag, like every other answer's,
 * comes from where the read models stood, not from the bytes, so they are tagged too.
 */
const taggedStreams = new WeakSet<FastifyRequest>();

/** Marks a request whose answer is a report streamed from the read models, for its ETag. */
export function tagStreamedReport(request: FastifyRequest): void {
  taggedStreams.add(request);
}

/** RFC 9110 weak comparison against each tag the client holds. */
function held(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = tag.replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === opaque);
}

/**
 * ETag and `If-None-Match` on the read models' answers: a client that holds the answer gets
 * 304 without a body. The tag is weak, since the same answer may come out in different bytes
 * (an XLSX carries its creation time). The basis is read before the controller computes the
 * answer: a projection moving meanwhile makes the tag older than the answer, so the next
 * request gets the answer again, never a stale one confirmed. Streamed downloads (but streamed
 * reports) and answers whose route chose its own caching are left alone; `private, no-cache` keeps personal
 * answers out of shared caches and has browsers ask before reusing them.
 */
export function registerETags(fastify: FastifyInstance, basis: AnswerBasis): void {
  const bases = new WeakMap<FastifyRequest, string>();

  // After the rate limit (a request it refuses costs no read), before the controller runs.
  fastify.addHook('preHandler', async (request) => {
    if (!answersFromReadModels(request)) return;
    try {
      bases.set(request, await basis());
    } catch {
      // A store that cannot be read now fails the query itself, with the problem that says so.
    }
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    const at = bases.get(request);
    if (at === undefined || reply.statusCode !== 200 || reply.hasHeader('cache-control')) return payload;
    const streamed = payload instanceof Readable && taggedStreams.has(request);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload) && !streamed) return payload;
    const tag = tagOf(at, request);
    void reply.header('etag', tag).header('cache-control', 'private, no-cache');
    if (!held(request.headers['if-none-match'], tag)) return payload;
    // The report's writer stops on a stream that is never read.
    if (streamed) (payload as Readable).destroy();
    void reply
      .code(304)
      .removeHeader('content-type')
      .removeHeader('content-length')
      .removeHeader('content-disposition');
    // Fastify's HEAD route drops the payload itself and fails on none.
    return request.method === 'HEAD' ? payload : null;
  });
}
