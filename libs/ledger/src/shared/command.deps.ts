import { createHash, randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  type Actor,
  type EventMetadata,
  type EventStore,
  type StreamAppend,
} from '@ledger/event-store';
import type { PersonKeyStore } from '@ledger/crypto';
import type { RegionDirectory } from '../regions/region-directory';
import { todayInIndonesia, type IsoDate } from './dates';
import { RuleViolation } from './rule-violation';
import type { StreamEvent } from './streams';

/**
 * What command handlers need: the event store, the personal-data keys, the NIK HMAC key and
 * the region directory. Handlers are the only code in the ledger that does I/O; they read
 * streams, fold them, call a pure decider and append with the expected revisions.
 */
export interface LedgerDeps {
  store: EventStore;
  keys: PersonKeyStore;
  nikHmacKey: Buffer;
  regions: RegionDirectory;
}

/** Who asks, when, and under which correlation: carried by every command into its events. */
export interface CommandContext {
  actor: Actor;
  /** ISO instant the command was received. */
  now: string;
  /** Calendar day in Indonesia's western time zone (WIB), where the programs' dates live. */
  today: IsoDate;
  correlationId: string;
  causationId?: string;
  /** Idempotency-Key header: the same key with the same body returns the first result. */
  idempotencyKey?: string;
  /** Hash of what the request asked, compared when the idempotency key comes again. */
  requestHash?: string;
  /** Whether the caller's token covers a region; absent for trusted callers (CLI, demo). */
  covers?: (regionCode: string) => boolean;
  /**
   * Whether the caller may work in a program owned by this region: it covers the region, or
   * its own region lies inside it (a village operator proposing to the regency's program).
   */
  reaches?: (regionCode: string) => boolean;
}

/** Refuses work in a program whose owner region the caller neither covers nor lies within (403). */
export function assertReach(ctx: CommandContext, ownerRegion: string): void {
  if (ctx.reaches && !ctx.reaches(ownerRegion)) {
    throw new RuleViolation('auth.scope', 'Program di luar cakupan token', 'forbidden', {
      region: ownerRegion,
    });
  }
}

/**
 * Refuses a command touching a region outside the caller's scope (403). The refusal does not
 * name the region: it may have been found through an id (a person's village).
 */
export function assertScope(ctx: CommandContext, regionCode: string): void {
  if (ctx.covers && !ctx.covers(regionCode)) {
    throw new RuleViolation('auth.scope', 'Wilayah di luar cakupan token', 'forbidden');
  }
}

export function commandContext(actor: Actor, extra: Partial<CommandContext> = {}): CommandContext {
  const now = new Date();
  return {
    actor,
    now: now.toISOString(),
    today: todayInIndonesia(now),
    correlationId: randomUUID(),
    ...extra,
  };
}

export function metadata(ctx: CommandContext, extra: Record<string, unknown> = {}): EventMetadata {
  return {
    eventId: randomUUID(),
    occurredAt: ctx.now,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    causationId: ctx.causationId ?? ctx.correlationId,
    schemaVersion: 1,
    ...extra,
  };
}

/** Reads a stream and folds it; `revision` is -1 for a stream that does not exist. */
export async function fold<S, E extends { type: string; data: unknown }>(
  store: EventStore,
  streamId: string,
  evolve: (state: S, event: E) => S,
  initial: S,
): Promise<{ state: S; revision: number }> {
  const events = await store.readStream(streamId);
  const state = events.reduce((s, e) => evolve(s, e as unknown as E), initial);
  return { state, revision: events.length ? events[events.length - 1].revision : -1 };
}

export const expectedFor = (revision: number) => (revision < 0 ? ('no_stream' as const) : revision);

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * The appends of decided events: one a stream, in the order the streams first appear, each
 * at the revision `expected` tells for it.
 */
export function appendsOf(
  decided: StreamEvent[],
  expected: (streamId: string) => StreamAppend['expected'],
  meta: (streamId: string) => EventMetadata,
): StreamAppend[] {
  const byStream = new Map<string, StreamAppend>();
  for (const { streamId, event } of decided) {
    let append = byStream.get(streamId);
    if (!append) {
      append = { streamId, expected: expected(streamId), events: [] };
      byStream.set(streamId, append);
    }
    append.events.push({ ...event, metadata: meta(streamId) });
  }
  return [...byStream.values()];
}

export interface Decision<R> {
  appends: StreamAppend[];
  result: R;
}

export type Written<R> = R & { consistencyToken: number };

const MAX_ATTEMPTS = 8;

/**
 * Runs a command: `decide` reads what it needs and returns the appends; they are written in
 * one atomic append with their expected revisions. A concurrent writer makes the append fail
 * (or `decide` throw `WrongExpectedVersionError` when it notices one while reading) and the
 * whole decision is taken again on fresh state, a bounded number of times.
 *
 * With an idempotency key, a small stream per key is appended in the same atomic write and
 * remembers the request's hash and result: the same key and body return the first result
 * (and its consistency token); the same key with another body is refused with 409.
 */
export async function execute<R>(
  deps: Pick<LedgerDeps, 'store'>,
  ctx: CommandContext,
  decide: () => Promise<Decision<R>>,
): Promise<Written<R>> {
  const idempotencyStream = ctx.idempotencyKey
    ? `idempotency-${hashOf([ctx.actor.id, ctx.idempotencyKey])}`
    : undefined;
  for (let attempt = 1; ; attempt++) {
    if (idempotencyStream) {
      const [previous] = await deps.store.readStream(idempotencyStream);
      if (previous) {
        const data = previous.data as { requestHash: string; result: R };
        if (data.requestHash !== ctx.requestHash) {
          throw new RuleViolation(
            'idempotency.mismatch',
            'Idempotency-Key yang sama sudah dipakai untuk permintaan yang berbeda',
            'conflict',
          );
        }
        return { ...data.result, consistencyToken: previous.position };
      }
    }
    let decision: Decision<R>;
    try {
      decision = await decide();
    } catch (error) {
      // A decision may find, while it reads, that a stream it already read has moved on.
      if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
      await backOff(attempt);
      continue;
    }
    const { appends, result } = decision;
    if (idempotencyStream) {
      appends.push({
        streamId: idempotencyStream,
        expected: 'no_stream',
        events: [
          {
            type: 'RequestCompleted',
            data: { requestHash: ctx.requestHash, result },
            metadata: metadata(ctx),
          },
        ],
      });
    }
    if (appends.length === 0) return { ...result, consistencyToken: await deps.store.headPosition() };
    try {
      const written = await deps.store.append(appends);
      return { ...result, consistencyToken: written.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
      // Another writer got there first: decide again on what it wrote.
      await backOff(attempt);
    }
  }
}

const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
