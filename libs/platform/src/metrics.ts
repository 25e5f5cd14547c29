import { aroundAppend, type EventStore } from '@ledger/event-store';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process: appends, projection progress and lag. */
export class LedgerMetrics {
  readonly registry = new Registry();
  readonly appends = new Counter({
    name: 'ledger_appends_total',
    help: 'Append operations, by store and outcome',
    labelNames: ['store', 'outcome'],
    registers: [this.registry],
  });
  readonly appendedEvents = new Counter({
    name: 'ledger_appended_events_total',
    help: 'Events appended to the log',
    labelNames: ['store'],
    registers: [this.registry],
  });
  readonly appendSeconds = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time to append one request (one or several streams)',
    labelNames: ['store'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly projectedEvents = new Counter({
    name: 'ledger_projection_events_total',
    help: 'Events applied by each projection',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionPosition = new Gauge({
    name: 'ledger_projection_position',
    help: 'Global position of the last event applied by each projection',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'ledger_projection_lag',
    help: 'Positions between the head of the log and each projection (0 when caught up)',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  constructor() {
    // No prefix: the standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …)
    // are what stock dashboards query.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Wraps a store so every append is counted and timed. */
  instrument(store: EventStore): EventStore {
    const { appends: appendCount, appendedEvents, appendSeconds } = this;
    return aroundAppend(store, async (appends, append) => {
      const stop = appendSeconds.startTimer({ store: store.kind });
      try {
        const result = await append(appends);
        appendCount.inc({ store: store.kind, outcome: 'ok' });
        appendedEvents.inc({ store: store.kind }, appends.reduce((n, a) => n + a.events.length, 0));
        return result;
      } catch (error) {
        appendCount.inc({ store: store.kind, outcome: (error as { code?: string }).code ?? 'error' });
        throw error;
      } finally {
        stop();
      }
    });
  }
}
