import type { EventStore, RecordedEvent } from '@ledger/event-store';
import {
  evolveEnrollment,
  initialEnrollmentState,
  programCoverageEnd,
  type EnrollmentState,
  type EnrollmentStreamEvent,
} from '@ledger/ledger/enrollment/enrollment.state';
import type {
  NikRegistryEvent,
  ParticipantEvent,
  SealedPersonalData,
} from '@ledger/ledger/participants/participant.events';
import { loadProgram } from '@ledger/ledger/programs/program.load';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { streams } from '@ledger/ledger/shared/streams';
import type { ReadQuery } from '../read-schema';
import { enrollmentsProjection, type EnrollmentRow } from '../enrollments/enrollments.projection';
import { programStateKnownAt } from '../enrollments/program-known-at';
import { coverageOn, type StatusOn } from './as-of';
import {
  claimGuardOf,
  historyClaims,
  historyDeathReport,
  type HistoryClaim,
  type HistoryDeathReport,
} from './history-claims';

/**
 * A participant's history, read from the event store itself: their own stream, the streams
 * of their enrollments (folded with the real `evolveEnrollment`) and the claims those
 * enrollments hold in the NIK registry. Auditors read what the ledger recorded, not a copy
 * of it, and the HTTP API and the CLI replay answer from this one function.
 *
 * With `knownAt` (a log position) it is the history as the ledger held it then: only the
 * events at or before that position are listed and folded, and programs are as they stood
 * then. A person registered later is unknown (null). `erased` alone tells the present: an
 * erased person's key is gone, whatever an earlier position says.
 *
 * One read model only helps: the enrollments table says which enrollment streams to read
 * (the log after its checkpoint is searched for the rest). Program names and ends come from
 * the programs' own streams. No personal data leaves this function except the sealed blob
 * of the registration, which only a caller holding the person's key can open.
 */

/** One event about the person: never personal data, never the NIK's HMAC. */
export interface HistoryEvent {
  position: number;
  occurredAt: string;
  recordedAt: string;
  type: string;
  streamId: string;
  actor: { id: string | null; role: string | null };
  correlationId: string | null;
  causationId: string | null;
  importId: string | null;
  enrollmentId: string | null;
  programId: string | null;
  details: Record<string, unknown>;
}

export interface HistoryEnrollment {
  enrollmentId: string;
  programId: string;
  programName: string | null;
  /** The state folded from the whole stream. */
  status: EnrollmentState['status'];
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
  /** The program's last covered day, min(period end, closing day); null for an unknown program. */
  programEnd: IsoDate | null;
}

export interface ParticipantHistory {
  participant: {
    id: string;
    /** A ParticipantErased event is in the person's stream. */
    erased: boolean;
    sex: string;
    birthYear: number;
    villageCode: string;
    occupation: string;
  };
  /** The registration's sealed personal data, for a caller allowed to open it. */
  sealedPersonal: SealedPersonalData;
  events: HistoryEvent[];
  enrollments: HistoryEnrollment[];
  /** The person's JKM and JKK claims with their steps, oldest first; never the heirs. */
  claims: HistoryClaim[];
  /** The death reported without a claim, if any (a death claim is among `claims`). */
  deathReport: HistoryDeathReport | null;
  /** The log position the history was read up to, when asked for one. */
  knownAt?: number;
  asOf?: {
    date: IsoDate;
    enrollments: {
      enrollmentId: string;
      programId: string;
      programName: string | null;
      status: StatusOn;
      coverage: { from: IsoDate; to: IsoDate } | null;
    }[];
  };
}

const SCAN_BATCH = 5_000;

/**
 * The history of a participant, and with `asOf` their coverage on that day; with `knownAt`
 * as the ledger held it at that log position. Null for an id unknown (then).
 */
export async function participantHistory(
  store: EventStore,
  read: ReadQuery,
  participantId: string,
  asOf?: IsoDate,
  knownAt?: number,
): Promise<ParticipantHistory | null> {
  const known = (events: RecordedEvent[]) =>
    knownAt === undefined ? events : events.filter((e) => e.position <= knownAt);
  const whole = await store.readStream(streams.participant(participantId));
  const own = known(whole);
  const registered = own.find((e) => e.type === 'ParticipantRegistered') as
    (RecordedEvent & Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>) | undefined;
  if (!registered) return null;

  // Enrollment streams, then the NIK registry claims those enrollments hold.
  const enrollmentIds = await enrollmentIdsOf(store, read, participantId);
  const enrollmentStreams = await Promise.all(
    enrollmentIds.map(async (id) => known(await store.readStream(streams.enrollment(id)))),
  );
  const nikKeys = new Set<string>();
  const folded = new Map<string, { events: RecordedEvent[]; state: EnrollmentState; row: EnrollmentRow }>();
  enrollmentIds.forEach((id, i) => {
    const events = enrollmentStreams[i];
    const state = events.reduce(
      (s, e) => evolveEnrollment(s, e as unknown as EnrollmentStreamEvent),
      initialEnrollmentState(),
    );
    // Another person's enrollment can only appear here through a damaged read model: skip it.
    if (state.status === 'none' || state.participantId !== participantId) return;
    // The effective dates, folded exactly as the enrollments read model folds them.
    const row = events
      .filter((e) => enrollmentsProjection.handles.includes(e.type))
      .reduce<EnrollmentRow | null>((r, e) => enrollmentsProjection.evolve(r, e), null);
    if (!row) return;
    folded.set(id, { events, state, row });
    nikKeys.add(state.nikKey);
  });
  const registry: RecordedEvent[] = [];
  for (const nikKey of nikKeys) {
    for (const e of known(await store.readStream(streams.nik(nikKey)))) {
      // An approval's registry marker only orders it against an erasure: the history shows
      // the approval itself (EnrollmentApproved).
      if (e.type === 'CoverageClaimApproved') continue;
      if (folded.has((e.data as { enrollmentId?: string }).enrollmentId ?? '')) registry.push(e);
    }
  }

  const programs = await programsOf(
    store,
    [...new Set([...folded.values()].map((f) => f.state.programId))],
    knownAt,
  );
  const events = [...own, ...[...folded.values()].flatMap((f) => f.events), ...registry]
    .sort((a, b) => a.position - b.position)
    .map(historyEvent);
  const enrollments = [...folded.values()]
    .sort((a, b) => a.events[0].position - b.events[0].position)
    .map(({ state }): HistoryEnrollment => ({
      enrollmentId: state.enrollmentId,
      programId: state.programId,
      programName: programs.get(state.programId)?.name ?? null,
      status: state.status,
      coverageFrom: state.coverageFrom,
      endedOn: state.endedOn,
      programEnd: programs.get(state.programId)?.end ?? null,
    }));

  const guard = await claimGuardOf(store, participantId, known);
  const data = registered.data;
  return {
    participant: {
      id: participantId,
      erased: whole.some((e) => e.type === 'ParticipantErased'),
      sex: data.sex,
      birthYear: data.birthYear,
      villageCode: data.villageCode,
      occupation: data.occupation,
    },
    sealedPersonal: data.personal,
    events,
    enrollments,
    claims: await historyClaims(store, participantId, guard, known),
    deathReport: historyDeathReport(guard),
    ...(knownAt === undefined ? {} : { knownAt }),
    ...(asOf === undefined
      ? {}
      : {
          asOf: {
            date: asOf,
            enrollments: enrollments.map((e) => ({
              enrollmentId: e.enrollmentId,
              programId: e.programId,
              programName: e.programName,
              ...coverageOn(folded.get(e.enrollmentId)!.row, e.programEnd, asOf),
            })),
          },
        }),
  };
}

/** Enrollment ids of a participant: from the read model up to its checkpoint, from the log after it. */
async function enrollmentIdsOf(store: EventStore, read: ReadQuery, participantId: string): Promise<string[]> {
  const checkpoint = await read
    .selectFrom('projection_checkpoints')
    .select('position')
    .where('name', '=', 'enrollments')
    .executeTakeFirst();
  const position = checkpoint ? Number(checkpoint.position) : 0;
  const rows =
    position > 0
      ? await read
          .selectFrom('enrollments')
          .select('id')
          .where('participant_id', '=', participantId)
          .execute()
      : [];
  const ids = new Set<string>(rows.map((r) => r.id as string));
  for (let after = position; ;) {
    const batch = await store.readAll({ after, types: ['EnrollmentProposed'], maxCount: SCAN_BATCH });
    if (batch.length === 0) break;
    for (const e of batch) {
      const data = e.data as { participantId: string; enrollmentId: string };
      if (data.participantId === participantId) ids.add(data.enrollmentId);
    }
    after = batch[batch.length - 1].position;
  }
  return [...ids];
}

/**
 * Name and last covered day of each program, folded from its own stream (a few events), up
 * to `knownAt` when given.
 */
async function programsOf(store: EventStore, ids: string[], knownAt: number | undefined) {
  const programs = new Map<string, { name: string; end: IsoDate }>();
  for (const id of ids) {
    const state =
      knownAt === undefined
        ? (await loadProgram({ store }, id)).state
        : await programStateKnownAt(store, id, knownAt);
    if (state && state.status !== 'none')
      programs.set(id, { name: state.terms.name, end: programCoverageEnd(state) });
  }
  return programs;
}

/** The NIK registry's streams are named by the NIK's HMAC, which is not shown. */
const REDACTED_NIK_STREAM = 'nik-*';

function historyStreamId(streamId: string): string {
  return streamId.startsWith('nik-') ? REDACTED_NIK_STREAM : streamId;
}

type PersonEvent = ParticipantEvent | EnrollmentStreamEvent | NikRegistryEvent;

/**
 * The non-personal fields each event shows, picked one by one: a field added to an event
 * later stays out until it is listed here. `note` and the reasons are free text written by
 * officers about the case, kept as they are.
 */
function historyDetails(event: PersonEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ParticipantRegistered': {
      const { villageCode, occupation, sex, birthYear } = event.data;
      return { villageCode, occupation, sex, birthYear };
    }
    case 'ParticipantErased':
      return { erasedOn: event.data.erasedOn, reason: event.data.reason ?? null };
    case 'EnrollmentProposed': {
      const { proposedOn, villageCode, occupation, sex, birthYear } = event.data;
      return { proposedOn, villageCode, occupation, sex, birthYear };
    }
    case 'EnrollmentApproved':
      return { coverageFrom: event.data.coverageFrom, approvedOn: event.data.approvedOn };
    case 'EnrollmentRejected':
      return { reason: event.data.reason, rejectedOn: event.data.rejectedOn };
    case 'EnrollmentDeregistered':
      return {
        reason: event.data.reason,
        note: event.data.note ?? null,
        coverageFrom: event.data.coverageFrom ?? null,
        effectiveDate: event.data.effectiveDate,
      };
    case 'CoverageLapsed':
      return {
        reason: 'lapsed',
        coverageFrom: event.data.coverageFrom,
        effectiveDate: event.data.effectiveDate,
        unpaidMonths: event.data.unpaidMonths,
        decidedOn: event.data.decidedOn,
      };
    case 'CoverageReinstated': {
      const { previous, coverageFrom, endedOn, effectiveDate, lapseDecidedOn, invoiceId, paidOn } =
        event.data;
      return {
        reason: 'paid_in_time',
        previous,
        coverageFrom,
        endedOn,
        effectiveDate,
        lapseDecidedOn,
        invoiceId,
        paidOn,
      };
    }
    case 'EnrollmentCorrected': {
      const { previous, coverageFrom, endedOn, reason, note, correctedOn } = event.data;
      return { previous, coverageFrom, endedOn, reason, note, correctedOn };
    }
    case 'CoverageClaimed':
      return {};
    case 'CoverageReleased':
      return { releasedOn: event.data.releasedOn };
    default:
      // Any other event of these streams shows no fields until it is listed above.
      return {};
  }
}

/** A fact recorded as a backfill shows its marker (reason and note), whatever the event. */
function withBackfill(details: Record<string, unknown>, data: unknown): Record<string, unknown> {
  const backfill = (data as { backfill?: unknown }).backfill;
  return backfill ? { ...details, backfill } : details;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function historyEvent(e: RecordedEvent): HistoryEvent {
  const data = e.data as { enrollmentId?: string; programId?: string; importId?: string | null };
  const { metadata } = e;
  return {
    position: e.position,
    occurredAt: metadata.occurredAt,
    recordedAt: e.recordedAt,
    type: e.type,
    streamId: historyStreamId(e.streamId),
    actor: { id: text(metadata.actor?.id), role: text(metadata.actor?.role) },
    correlationId: text(metadata.correlationId),
    causationId: text(metadata.causationId),
    importId: text(metadata.importId) ?? text(data.importId),
    enrollmentId: text(data.enrollmentId),
    programId: text(data.programId),
    details: withBackfill(historyDetails(e as unknown as PersonEvent), e.data),
  };
}
