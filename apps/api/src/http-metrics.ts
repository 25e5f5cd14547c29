import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Request metrics of the API in the process's registry (served by /metrics): requests and
 * their duration by method, route pattern and status. The route is the pattern
 * (`/api/programs/:id`), never the path, so ids do not multiply the series; what no route
 * matched counts as `unmatched`.
 */
export function registerHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const requests = metric(
    registry,
    'http_requests_total',
    () =>
      new Counter({
        name: 'http_requests_total',
        help: 'HTTP requests answered, by method, route pattern and status',
        labelNames: ['method', 'route', 'status'],
        registers: [registry],
      }),
  );
  const duration = metric(
    registry,
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'Time from the request arriving to the answer sent, by method, route pattern and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
        registers: [registry],
      }),
  );
  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}

/** Read-your-writes waits (`consistentWith`): how many reached their token and how long they waited. */
export function consistencyMetrics(registry: Registry) {
  return {
    waits: metric(
      registry,
      'ledger_consistency_waits_total',
      () =>
        new Counter({
          name: 'ledger_consistency_waits_total',
          help: 'Queries that waited for a consistency token, by outcome (reached or timeout)',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    ),
    seconds: metric(
      registry,
      'ledger_consistency_wait_seconds',
      () =>
        new Histogram({
          name: 'ledger_consistency_wait_seconds',
          help: 'Time a query waited for its consistency token',
          buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
          registers: [registry],
        }),
    ),
  };
}

/** One metric per name and registry: an app built twice over one runtime (tests) reuses it. */
function metric<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
