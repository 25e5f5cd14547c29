import { aroundAppend, type EventStore } from '@ledger/event-store';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Where a read model stands, as the projection runner reports it. */
export interface ProjectionStanding {
  name: string;
  position: number;
  lag: number;
}

/**
 * Prometheus metrics of one process: appends, projection progress and lag, rebuilds and
 * nomination imports. One definition for the API and the projector, so their series match.
 */
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

  readonly rebuildEvents = new Counter({
    name: 'ledger_rebuild_events_total',
    help: 'Events applied by rebuilds of each read model (also those filled on a helper thread)',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly rebuildInProgress = new Gauge({
    name: 'ledger_rebuild_in_progress',
    help: '1 while a rebuild of the read model runs in this process, 0 otherwise',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly importRows = new Counter({
    name: 'ledger_import_rows_total',
    help: 'Rows of nomination lists imported, by outcome (accepted or rejected); a repeated upload adds none',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly imports = new Counter({
    name: 'ledger_imports_total',
    help: 'Nomination list uploads, by outcome (completed, refused as a whole, failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly importSeconds = new Histogram({
    name: 'ledger_import_duration_seconds',
    help: 'Time from an upload arriving to its summary (or refusal), by outcome',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  constructor() {
    // No prefix: the standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …)
    // are what stock dashboards query.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Positions and lag as they are now: set at scrape time, against the log's current head. */
  recordProjections(standings: ProjectionStanding[]): void {
    for (const { name, position, lag } of standings) {
      this.projectionPosition.set({ projection: name }, position);
      this.projectionLag.set({ projection: name }, lag);
    }
  }

  /** Wraps a store so every append is counted and timed. */
  instrument(store: EventStore): EventStore {
    const { appends: appendCount, appendedEvents, appendSeconds } = this;
    return aroundAppend(store, async (appends, append) => {
      const stop = appendSeconds.startTimer({ store: store.kind });
      try {
        const result = await append(appends);
        appendCount.inc({ store: store.kind, outcome: 'ok' });
        appendedEvents.inc(
          { store: store.kind },
          appends.reduce((n, a) => n + a.events.length, 0),
        );
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
