import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { storeFault } from '@ledger/event-store';
import { problemType, type ProblemBody } from '@ledger/platform/http/problem';
import type { RunnerLogger } from '@ledger/read-models';
import type { LedgerRuntime } from '@ledger/runtime';

/** A store that neither answers nor fails within this long counts as down. */
const PROBE_TIMEOUT_MS = 5_000;
/** Health and metrics answer at once or not at all: nothing here waits on a slow client. */
const REQUEST_TIMEOUT_MS = 10_000;

type Part = { status: 'up' | 'down' } & Record<string, unknown>;

export interface ProjectorHttp {
  /** The port bound (the configured one, or the free one picked for 0). */
  port: number;
  /** Stops accepting and ends the connections still open. */
  close(): Promise<void>;
}

/**
 * The projector's own health and metrics, for an orchestrator and a Prometheus scraper:
 * `/health/live`, `/health/ready` and `/metrics`, GET only, no request body read. Plain
 * node:http: three fixed answers need no framework, and a projector stays a small process.
 */
export async function serveProjectorHttp(
  runtime: LedgerRuntime,
  logger: RunnerLogger,
): Promise<ProjectorHttp> {
  const { config } = runtime;
  // Concurrent probes and scrapes share one round of queries, so a burst of them costs the stores one.
  const readiness = shared(() => ready(runtime));
  const metrics = shared(async () => {
    runtime.metrics.recordProjections(await runtime.runner.status());
    return runtime.metrics.registry.metrics();
  });

  const routes: Record<string, () => Promise<[number, string, string]>> = {
    '/health/live': async () => [200, 'application/json', JSON.stringify({ status: 'ok' })],
    '/health/ready': async () => {
      const [status, body] = await readiness();
      return [status, status === 200 ? 'application/json' : 'application/problem+json', JSON.stringify(body)];
    },
    '/metrics': async () => [200, runtime.metrics.registry.contentType, await metrics()],
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    const answer = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (!route) return answer(404, 'application/problem+json', JSON.stringify(NOT_FOUND));
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return answer(405, 'application/problem+json', JSON.stringify(NOT_ALLOWED), {
        allow: 'GET, HEAD',
      });
    route().then(
      ([status, type, body]) => answer(status, type, body),
      (error: Error) => {
        logger.error('health or metrics request failed', { path, error: error.message.split('\n')[0] });
        answer(500, 'application/problem+json', JSON.stringify(INTERNAL));
      },
    );
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = config.httpLimits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.projectorPort, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * 200 when the event store and the read database answer and no projection is held up by a
 * storage fault; otherwise 503 problem details naming each part that is down. A projection
 * failing for another reason (a bug) keeps its last error in the answer but does not make
 * the process unready: restarting it would not help.
 */
async function ready(
  runtime: LedgerRuntime,
): Promise<[200, { status: 'ok'; details: object }] | [503, ProblemBody]> {
  const details: Record<string, Part> = {
    eventStore: await probe(() => runtime.store.ping(), { kind: runtime.store.kind }),
    readDatabase: await probe(() => sql`SELECT 1`.execute(runtime.read.query).then(() => undefined), {
      dialect: runtime.read.dialect,
    }),
    projections: projections(runtime),
  };
  const down = Object.entries(details).filter(([, part]) => part.status === 'down');
  if (down.length === 0) return [200, { status: 'ok', details }];
  return [
    503,
    {
      type: problemType('health.down'),
      title: `Tidak siap: ${down.map(([name]) => name).join(', ')}`,
      status: 503,
      details,
      error: Object.fromEntries(down),
    },
  ];
}

function projections(runtime: LedgerRuntime): Part {
  const failure = runtime.projectionFailure();
  if (failure?.fault) return { status: 'down', fault: failure.fault, message: failure.message };
  return failure ? { status: 'up', lastError: failure.message } : { status: 'up' };
}

async function probe(ping: () => Promise<void>, info: Record<string, unknown>): Promise<Part> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([ping(), timeout]);
    return { status: 'up', ...info };
  } catch (error) {
    const fault = storeFault(error);
    return {
      status: 'down',
      ...info,
      ...(fault && { fault: fault.kind }),
      message: (error as Error).message.split('\n')[0],
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `work` once for every caller that arrives while it runs. */
function shared<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => (running ??= work().finally(() => (running = undefined)));
}

const NOT_FOUND: ProblemBody = {
  type: problemType('route.notFound'),
  title: 'Alamat tidak ditemukan',
  status: 404,
  detail: 'The projector serves /health/live, /health/ready and /metrics only',
};

const NOT_ALLOWED: ProblemBody = {
  type: problemType('http.405'),
  title: 'Metode tidak diizinkan',
  status: 405,
  detail: 'Only GET (and HEAD) is served here',
};

const INTERNAL: ProblemBody = { type: problemType('internal'), title: 'Kesalahan internal', status: 500 };
