import type { EnrollmentState } from '@ledger/ledger/enrollment/enrollment.state';
import type { PersonalData } from '@ledger/ledger/participants/participant.events';
import { isIsoDate, type IsoDate } from '@ledger/ledger/shared/dates';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import type { StatusOn } from '@ledger/read-models/participant-history/as-of';
import {
  participantHistory,
  type ParticipantHistory,
} from '@ledger/read-models/participant-history/participant-history';
import { personalView } from '@ledger/read-models/participants/personal-view';
import { knownAtParam, resolveKnownAt } from '@ledger/read-models/known-at';
import { InvalidQuery } from '@ledger/read-models/params';
import { ledgerProjections } from '@ledger/read-models/projections';
import { CliError, seeHelp } from '../cli-error';

const HELP = seeHelp('replay participant');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERASED = 'DIHAPUS (erased)';

const LABELS: Record<string, string> = {
  ParticipantRegistered: 'Peserta terdaftar',
  ParticipantErased: 'Data pribadi dihapus',
  EnrollmentProposed: 'Diusulkan',
  EnrollmentApproved: 'Disetujui',
  EnrollmentRejected: 'Ditolak',
  EnrollmentDeregistered: 'Kepesertaan diakhiri',
  CoverageLapsed: 'Iuran menunggak, kepesertaan berakhir',
  CoverageReinstated: 'Kepesertaan dipulihkan: tunggakan dibayar tepat waktu',
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

interface ReplayOptions {
  asOf?: string;
  knownAt?: string;
  json?: boolean;
}

/**
 * `replay participant <id>`: a person's whole story read from the event store itself (see
 * `participantHistory`, which `GET /api/participants/:id/history` answers from too) — with
 * positions, times, actors and correlation ids, and their personal data opened with the key
 * store (an operator and auditor tool), or "DIHAPUS (erased)" once the key is gone. With
 * --as-of, the coverage on that day (the effective date); with --known-at, all of it as the
 * ledger held it then (the events up to that log position).
 */
export async function replayCommand(id: string, options: ReplayOptions): Promise<void> {
  const { participantId, asOf, knownAt, json } = parseOptions(id, options);
  const config = loadConfig();
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store) });
  try {
    const position =
      knownAt === undefined
        ? undefined
        : await usage(() => resolveKnownAt(runtime.store, knownAt, '--known-at'));
    const replay = await replayParticipant(runtime, participantId, asOf, position);
    process.stdout.write(json ? `${JSON.stringify(replay, null, 2)}\n` : render(replay));
  } finally {
    await runtime.close();
  }
}

function parseOptions(participantId: string, options: ReplayOptions) {
  if (!UUID.test(participantId))
    throw new CliError(`"${participantId}" is not a participant id (UUID); ${HELP}`);
  const { asOf } = options;
  if (asOf !== undefined && !isIsoDate(asOf))
    throw new CliError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOf}"`);
  const knownAt = usageSync(() => knownAtParam(options.knownAt, '--known-at'));
  return { participantId: participantId.toLowerCase(), asOf, knownAt, json: options.json ?? false };
}

/** A refused parameter is a usage mistake: its message, exit 2. */
function usageSync<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidQuery) throw new CliError(error.message);
    throw error;
  }
}

async function usage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidQuery) throw new CliError(error.message);
    throw error;
  }
}

export interface ParticipantReplay extends Omit<ParticipantHistory, 'participant' | 'sealedPersonal'> {
  participant: Omit<ParticipantHistory['participant'], 'erased'> & {
    status: 'active' | 'erased';
    personal: PersonalData | 'erased';
  };
}

/** Thrown for an id with no participant stream: exit 1, one line. */
class UnknownParticipant extends Error {}

export async function replayParticipant(
  runtime: LedgerRuntime,
  participantId: string,
  asOf?: IsoDate,
  knownAt?: number,
): Promise<ParticipantReplay> {
  const found = await participantHistory(runtime.store, runtime.read.query, participantId, asOf, knownAt);
  if (!found) throw new UnknownParticipant(`peserta ${participantId} tidak ditemukan (unknown participant)`);
  const { erased, ...participant } = found.participant;
  // The auditor's view: the personal fields in full, or 'erased' once the key is gone.
  const personal = await personalView(runtime, participantId, erased, 'auditor', found.sealedPersonal);
  return {
    participant: { ...participant, status: personal === 'erased' ? 'erased' : 'active', personal },
    events: found.events,
    enrollments: found.enrollments,
    claims: found.claims,
    deathReport: found.deathReport,
    ...(found.knownAt === undefined ? {} : { knownAt: found.knownAt }),
    ...(found.asOf ? { asOf: found.asOf } : {}),
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
    lines.push(
      '',
      `Keadaan per ${r.asOf.date} (tanggal berlaku${r.knownAt === undefined ? '' : `, menurut log s.d. posisi ${r.knownAt}`}):`,
    );
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
