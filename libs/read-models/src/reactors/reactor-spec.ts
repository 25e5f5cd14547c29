import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@ledger/event-store';
import type { Reactor, ReactorCommand } from './reactor';

/** An event as a reactor spec gives it: type and data, the rest filled in. */
export interface GivenEvent {
  type: string;
  data?: Record<string, unknown>;
  streamId?: string;
  eventId?: string;
}

/**
 * given(events).thenDispatches(commands) for reactors, with no runner in the way: the
 * events the reactor handles go through its own `react`, in order; the others are skipped
 * as the runner's subscription skips them.
 */
export function specForReactor(reactor: Reactor) {
  const handles = new Set(reactor.handles);
  return (given: GivenEvent[]) => {
    const events = given.map(recorded);
    const run = () => events.filter((e) => handles.has(e.type)).flatMap((e) => reactor.react(e));
    return {
      thenDispatches: (expected: ReactorCommand[]) => expect(run()).toEqual(expected),
      thenDispatchesNothing: () => expect(run()).toEqual([]),
    };
  };
}

function recorded(event: GivenEvent, i: number): RecordedEvent {
  return {
    type: event.type,
    data: event.data ?? {},
    streamId: event.streamId ?? `spec-${i}`,
    revision: 0,
    position: i + 1,
    recordedAt: '2026-01-01T00:00:00.000Z',
    metadata: {
      eventId: event.eventId ?? randomUUID(),
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
