import { parseArgs } from 'node:util';
import type { RecordedEvent } from '@ledger/event-store';
import {
  evolveEnrollment,
  initialEnrollmentState,
  programCoverageEnd,
  type EnrollmentState,
} from '@ledger/ledger/enrollment/enrollment.decider';
import type { EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { ParticipantEvent, PersonalData } from '@ledger/ledger/participants/participant.events';
import { openPersonal } from '@ledger/ledger/participants/personal-data.deps';
import { loadProgram } from '@ledger/ledger/programs/programs.handlers';
import { isIsoDate, type IsoDate } from '@ledger/ledger/shared/dates';
import { streams } from '@ledger/ledger/shared/streams';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/platform/runtime';
import { coverageOn, dayOf, type StatusOn } from '@ledger/read-models/participant-history/as-of';
import {
  historyDetails,
  historyStreamId,
  participantHistoryProjection,
} from '@ledger/read-models/participant-history/participant-history.projection';
import { ledgerProjections } from '@ledger/read-models/projections';
import { CliError } from '../cli-error';

const USAGE = 'usage: replay participant <id> [--as-of YYYY-MM-DD] [--json]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERASED = 'DIHAPUS (erased)';
const SCAN_BATCH = 5_000;

const LABELS: Record<string, string> = {
  ParticipantRegistered: 'Peserta terdaftar',
  ParticipantErased: 'Data pribadi dihapus',
  EnrollmentProposed: 'Diusulkan',
  EnrollmentApproved: 'Disetujui',
  EnrollmentRejected: 'Ditolak',
  EnrollmentDeregistered: 'Kepesertaan diakhiri',
  CoverageClaimed: 'NIK diklaim untuk pendaftaran',
  CoverageReleased: 'Klaim NIK dilepas',
};

const STATUS_LABELS: Record<StatusOn | EnrollmentState['status'], string> = {
  none: 'belum diusulkan (none)',
  proposed: 'diusulkan (proposed)',
  'approved-not-yet-started': 'disetujui, belum mulai (approved-not-yet-started)',
  approved: 'disetujui (approved)',
  active: 'aktif (active)',
  ended: 'berakhir (ended)',
  rejected: 'ditolak (rejected)',
  deregistered: 'diakhiri (deregistered)',
};

/**
 * `replay participant <id>`: a person's whole story read from the event store itself — their
 * own stream, the streams of their enrollments (folded with the real `evolveEnrollment`) and
 * the claims their enrollments hold in the NIK registry — with positions, times, actors and
 * correlation ids, and their personal data opened with the key store (an operator and
 * auditor tool), or "DIHAPUS (erased)" once the key is gone. With --as-of, the coverage on
 * that day, by the same rules as `GET /api/participants/:id/history?asOf=`.
 *
 * The participant_history read model is used only to learn which enrollment streams to read;
 * what it has not taken in yet is looked up in the log.
 */
export async function replayCommand(args: string[]): Promise<void> {
  const { participantId, asOf, json } = parseOptions(args);
  const runtime = await openRuntime(loadConfig(), { projections: ledgerProjections() });
  try {
    const replay = await replayParticipant(runtime, participantId, asOf);
    process.stdout.write(json ? `${JSON.stringify(replay, null, 2)}\n` : render(replay));
  } finally {
    await runtime.close();
  }
}

function parseOptions(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { 'as-of': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const first = (error as Error).message.split('\n')[0]?.replace(/\.$/, '');
    throw new CliError(`${first}; ${USAGE}`);
  }
  const [what, participantId, ...rest] = parsed.positionals;
  if (what !== 'participant' || !participantId || rest.length > 0) throw new CliError(USAGE);
  if (!UUID.test(participantId))
    throw new CliError(`"${participantId}" is not a participant id (UUID); ${USAGE}`);
  const asOf = parsed.values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf))
    throw new CliError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOf}"`);
  return { participantId: participantId.toLowerCase(), asOf, json: parsed.values.json ?? false };
}

interface ReplayedEvent {
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

interface ReplayedEnrollment {
  enrollmentId: string;
  programId: string;
  programName: string | null;
  /** The state folded from the whole stream. */
  status: EnrollmentState['status'];
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
  programEnd: IsoDate | null;
}

export interface ParticipantReplay {
  participant: {
    id: string;
    status: 'active' | 'erased';
    personal: PersonalData | 'erased';
    sex: string;
    birthYear: number;
    villageCode: string;
    occupation: string;
  };
  events: ReplayedEvent[];
  enrollments: ReplayedEnrollment[];
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

/** Thrown for an id with no participant stream: exit 1, one line. */
class UnknownParticipant extends Error {}

export async function replayParticipant(
  runtime: LedgerRuntime,
  participantId: string,
  asOf?: IsoDate,
): Promise<ParticipantReplay> {
  const { store } = runtime;
  const own = await store.readStream(streams.participant(participantId));
  const registered = own.find((e) => e.type === 'ParticipantRegistered') as
    (RecordedEvent & Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>) | undefined;
  if (!registered)
    throw new UnknownParticipant(`peserta ${participantId} tidak ditemukan (unknown participant)`);

  const keys = await runtime.keys.getMany([participantId]);
  const opened = openPersonal(keys.get(participantId), participantId, registered.data.personal);

  // Enrollment streams, then the NIK registry claims those enrollments hold.
  const enrollmentIds = await enrollmentIdsOf(runtime, participantId);
  const enrollmentStreams = await Promise.all(
    enrollmentIds.map((id) => store.readStream(streams.enrollment(id))),
  );
  const nikKeys = new Set<string>();
  const folded = new Map<string, { events: RecordedEvent[]; state: EnrollmentState }>();
  enrollmentIds.forEach((id, i) => {
    const events = enrollmentStreams[i];
    const state = events.reduce(
      (s, e) => evolveEnrollment(s, e as unknown as EnrollmentEvent),
      initialEnrollmentState(),
    );
    // Another person's enrollment can only appear here through a damaged read model: skip it.
    if (state.status === 'none' || state.participantId !== participantId) return;
    folded.set(id, { events, state });
    nikKeys.add(state.nikKey);
  });
  const registry: RecordedEvent[] = [];
  for (const nikKey of nikKeys) {
    for (const e of await store.readStream(streams.nik(nikKey))) {
      if (folded.has((e.data as { enrollmentId?: string }).enrollmentId ?? '')) registry.push(e);
    }
  }

  const programs = new Map<string, { name: string; end: IsoDate } | null>();
  for (const { state } of folded.values()) {
    if (programs.has(state.programId)) continue;
    const program = (await loadProgram({ store }, state.programId)).state;
    programs.set(
      state.programId,
      program.status === 'none' ? null : { name: program.terms.name, end: programCoverageEnd(program) },
    );
  }

  const all = [...own, ...[...folded.values()].flatMap((f) => f.events), ...registry].sort(
    (a, b) => a.position - b.position,
  );
  const events = all.map(replayed);
  const enrollments = [...folded.values()]
    .sort((a, b) => a.events[0].position - b.events[0].position)
    .map(({ state }): ReplayedEnrollment => ({
      enrollmentId: state.enrollmentId,
      programId: state.programId,
      programName: programs.get(state.programId)?.name ?? null,
      status: state.status,
      coverageFrom: state.coverageFrom,
      endedOn: state.endedOn,
      programEnd: programs.get(state.programId)?.end ?? null,
    }));

  const data = registered.data;
  return {
    participant: {
      id: participantId,
      status: opened ? 'active' : 'erased',
      personal: opened ?? 'erased',
      sex: data.sex,
      birthYear: data.birthYear,
      villageCode: data.villageCode,
      occupation: data.occupation,
    },
    events,
    enrollments,
    ...(asOf === undefined
      ? {}
      : {
          asOf: {
            date: asOf,
            enrollments: enrollments.map((e) => {
              // The enrollment as the ledger knew it at the end of the day (WIB), folded for real.
              const known = folded
                .get(e.enrollmentId)!
                .events.filter((event) => dayOf(event.metadata.occurredAt) <= asOf)
                .reduce(
                  (s, event) => evolveEnrollment(s, event as unknown as EnrollmentEvent),
                  initialEnrollmentState(),
                );
              return {
                enrollmentId: e.enrollmentId,
                programId: e.programId,
                programName: e.programName,
                ...coverageOn(known, e.programEnd, asOf),
              };
            }),
          },
        }),
  };
}

/** Enrollment ids of a participant: from the read model up to its checkpoint, from the log after it. */
async function enrollmentIdsOf(runtime: LedgerRuntime, participantId: string): Promise<string[]> {
  const ids = new Set<string>();
  const read = runtime.read.query;
  const checkpoint = await read
    .selectFrom('projection_checkpoints')
    .select('position')
    .where('name', '=', participantHistoryProjection.name)
    .executeTakeFirst();
  const position = checkpoint ? Number(checkpoint.position) : 0;
  if (position > 0) {
    const rows = await read
      .selectFrom('participant_history')
      .select('enrollment_id')
      .where('participant_id', '=', participantId)
      .where('enrollment_id', 'is not', null)
      .execute();
    for (const row of rows) ids.add(row.enrollment_id as string);
  }
  for (let after = position; ;) {
    const batch = await runtime.store.readAll({ after, types: ['EnrollmentProposed'], maxCount: SCAN_BATCH });
    if (batch.length === 0) break;
    for (const e of batch) {
      const data = e.data as { participantId: string; enrollmentId: string };
      if (data.participantId === participantId) ids.add(data.enrollmentId);
    }
    after = batch[batch.length - 1].position;
  }
  return [...ids];
}

function replayed(e: RecordedEvent): ReplayedEvent {
  const data = e.data as { enrollmentId?: string; programId?: string; importId?: string | null };
  const importId = e.metadata.importId;
  return {
    position: e.position,
    occurredAt: e.metadata.occurredAt,
    recordedAt: e.recordedAt,
    type: e.type,
    // The registry's stream is named by the NIK's HMAC, which is not shown.
    streamId: historyStreamId(e.streamId),
    actor: { id: e.metadata.actor?.id ?? null, role: e.metadata.actor?.role ?? null },
    correlationId: e.metadata.correlationId ?? null,
    causationId: e.metadata.causationId ?? null,
    importId: (typeof importId === 'string' ? importId : null) ?? data.importId ?? null,
    enrollmentId: data.enrollmentId ?? null,
    programId: data.programId ?? null,
    details: historyDetails(e as unknown as Parameters<typeof historyDetails>[0]),
  };
}

/** "2026-05-03 10:11:12.345 WIB" for an ISO instant. */
function wib(instant: string): string {
  const shifted = new Date(new Date(instant).getTime() + 7 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 23)} WIB`;
}

const dash = (value: unknown) =>
  value === null || value === undefined || value === '' ? '-' : String(value);

function render(r: ParticipantReplay): string {
  const p = r.participant;
  const personal = p.personal === 'erased' ? null : p.personal;
  const lines = [
    `Peserta ${p.id}`,
    `  Status          : ${p.status === 'erased' ? ERASED : 'aktif (active)'}`,
    `  NIK             : ${personal ? personal.nik : ERASED}`,
    `  Nama            : ${personal ? personal.name : ERASED}`,
    `  Tanggal lahir   : ${personal ? personal.birthDate : ERASED}`,
    `  No HP           : ${personal ? dash(personal.phone) : ERASED}`,
    `  Jenis kelamin   : ${p.sex}   Tahun lahir: ${p.birthYear}   Desa: ${p.villageCode}   Pekerjaan: ${p.occupation}`,
    '',
    `Riwayat (timeline): ${r.events.length} peristiwa dari event store`,
  ];
  for (const e of r.events) {
    lines.push(`  #${e.position}  ${wib(e.occurredAt)}  ${LABELS[e.type] ?? e.type} (${e.type})`);
    lines.push(
      `      stream ${e.streamId}  aktor ${dash(e.actor.id)} (${dash(e.actor.role)})  korelasi ${dash(e.correlationId)}  kausasi ${dash(e.causationId)}`,
    );
    const refs = [
      e.enrollmentId ? `pendaftaran ${e.enrollmentId}` : null,
      e.programId ? `program ${e.programId}` : null,
      e.importId ? `impor ${e.importId}` : null,
      ...Object.entries(e.details).map(([k, v]) => `${k}=${dash(v)}`),
      `dicatat ${e.recordedAt}`,
    ].filter((x): x is string => x !== null);
    lines.push(`      ${refs.join('  ')}`);
  }
  lines.push('', `Pendaftaran (enrollments): ${r.enrollments.length}`);
  for (const e of r.enrollments) {
    const coverage = e.coverageFrom
      ? `perlindungan ${e.coverageFrom} s.d. ${e.endedOn ?? dash(e.programEnd)}`
      : 'tanpa perlindungan';
    lines.push(`  ${e.enrollmentId}  ${dash(e.programName)}  ${STATUS_LABELS[e.status]}  ${coverage}`);
  }
  if (r.asOf) {
    lines.push('', `Keadaan per ${r.asOf.date} (as of, akhir hari WIB):`);
    if (r.asOf.enrollments.length === 0) lines.push('  (tidak ada pendaftaran)');
    for (const e of r.asOf.enrollments) {
      const coverage = e.coverage
        ? `perlindungan ${e.coverage.from} s.d. ${e.coverage.to}`
        : 'tanpa perlindungan';
      lines.push(`  ${e.enrollmentId}  ${dash(e.programName)}  ${STATUS_LABELS[e.status]}  ${coverage}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
