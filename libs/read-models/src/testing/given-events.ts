import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { ReadQuery } from '../read-schema';
import type { Projection } from '../runner/projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { readDbTargets, readFixture } from './read-db-targets';

/** One event of a spec's history: its stream, type and data, and who recorded it when. */
export interface GivenEvent {
  stream: string;
  type: string;
  data: Record<string, unknown>;
  at?: string;
  actor?: { id: string; role: string; region: string };
}

export const ADMIN = { id: 'admin-muara-enim', role: 'program_admin', region: '1603' };

function recorded(event: GivenEvent): NewEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: event.at ?? '2026-03-02T03:00:00.000Z',
      actor: event.actor ?? ADMIN,
      schemaVersion: 1,
    },
  };
}

export interface ReadModelSpec {
  /** Appends the events in order, projects them through the real runner and returns where queries run. */
  given(...events: GivenEvent[]): Promise<ReadQuery>;
}

/**
 * "Given these events, then these rows and these answers", on a fresh event log and read
 * database per test: SQLite always, PostgreSQL too when `DATABASE_URL` is set.
 */
export function describeReadModel(
  name: string,
  projections: Projection[],
  body: (spec: ReadModelSpec) => void,
) {
  const suite = (target: (typeof readDbTargets)[keyof typeof readDbTargets]) => () => {
    const fixture = readFixture(target, `ledger-${name.replace(/\W+/g, '-')}-`);
    body({
      async given(...events) {
        for (const event of events)
          await fixture.store.append([
            { streamId: event.stream, events: [recorded(event)], expected: 'any' },
          ]);
        const runner = new ProjectionRunner(fixture.store, fixture.read, projections);
        await runner.install();
        await runner.catchUp();
        return fixture.read.query;
      },
    });
  };
  describe(`SQLite: ${name}`, suite(readDbTargets.sqlite));
  describeIfAvailable(
    `PostgreSQL: ${name}`,
    process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
    suite(readDbTargets.postgres),
  );
}
