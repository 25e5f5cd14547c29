import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  assertReach,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { RuleViolation } from '../../shared/rule-violation';
import { streams } from '../../shared/streams';
import {
  proposeNominations,
  requireProgram,
  type NominationOutcome,
  type NominationRequest,
} from '../enrollment.handlers';
import {
  detectFormat,
  parseNominationFile,
  NominationFileError,
  type NominationRow,
} from './nomination-file';

export type ImportEvent =
  | {
      type: 'NominationImportStarted';
      data: {
        importId: string;
        programId: string;
        fileSha256: string;
        fileName: string;
        format: 'csv' | 'xlsx';
      };
    }
  | {
      type: 'NominationRowsRecorded';
      data: { importId: string; programId: string; rows: NominationOutcome[] };
    }
  | {
      type: 'NominationImportCompleted';
      data: { importId: string; programId: string; total: number; accepted: number; rejected: number };
    }
  | {
      type: 'NominationImportFailed';
      data: { importId: string; programId: string; rule: string; message: string };
    };

export interface ImportSummary {
  importId: string;
  programId: string;
  status: 'completed' | 'failed';
  total: number;
  accepted: number;
  rejected: number;
  /** True when this file had been imported before and nothing changed. */
  repeated: boolean;
  failure?: { rule: string; message: string };
}

/** The same file for the same program is the same import: its id is derived from both. */
export function importIdFor(programId: string, fileSha256: string): string {
  return createHash('sha256').update(`${programId}:${fileSha256}`).digest('hex').slice(0, 32);
}

const CHUNK = 1000;

function summarise(
  importId: string,
  programId: string,
  events: { type: string; data: unknown }[],
  repeated: boolean,
): ImportSummary | null {
  const last = events[events.length - 1];
  if (last?.type === 'NominationImportCompleted') {
    const data = last.data as Extract<ImportEvent, { type: 'NominationImportCompleted' }>['data'];
    return {
      importId,
      programId,
      status: 'completed',
      total: data.total,
      accepted: data.accepted,
      rejected: data.rejected,
      repeated,
    };
  }
  if (last?.type === 'NominationImportFailed') {
    const data = last.data as Extract<ImportEvent, { type: 'NominationImportFailed' }>['data'];
    const rows = events
      .filter((e) => e.type === 'NominationRowsRecorded')
      .flatMap((e) => (e.data as { rows: NominationOutcome[] }).rows);
    const accepted = rows.filter((r) => r.status === 'accepted').length;
    return {
      importId,
      programId,
      status: 'failed',
      total: rows.length,
      accepted,
      rejected: rows.length - accepted,
      repeated,
      failure: { rule: data.rule, message: data.message },
    };
  }
  return null;
}

/**
 * Imports a nomination list (usulan BNBA): rows are read as a stream and proposed in chunks,
 * each chunk one atomic append that also records the chunk's part of the report. Uploading
 * the same file again finds the finished import and returns its report unchanged; an import
 * cut short (crash) resumes after the last recorded row.
 */
export async function importNominations(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  file: { content: Buffer; fileName: string; contentType?: string },
): Promise<ImportSummary & { consistencyToken: number }> {
  const format = detectFormat(file.fileName, file.contentType, file.content.subarray(0, 8));
  if (!format) {
    throw new RuleViolation('import.format', 'Berkas harus CSV atau XLSX', 'unprocessable');
  }
  const fileSha256 = createHash('sha256').update(file.content).digest('hex');
  const importId = importIdFor(programId, fileSha256);
  const streamId = streams.nominationImport(importId);

  // The program must exist, be open and be the caller's before anything is written.
  const program = await requireProgram(deps, programId);
  assertReach(ctx, program.terms.ownerRegion);
  const existing = await deps.store.readStream(streamId);
  const done = summarise(importId, programId, existing, true);
  if (done) return { ...done, consistencyToken: existing[existing.length - 1].position };
  if (program.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');

  const rows = parseNominationFile(Readable.from(file.content), format)[Symbol.asyncIterator]();
  let first: IteratorResult<NominationRow>;
  try {
    first = await rows.next();
  } catch (error) {
    if (error instanceof NominationFileError)
      throw new RuleViolation(error.code, error.message, 'unprocessable');
    throw error;
  }
  if (first.done && existing.length === 0) {
    throw new RuleViolation(
      'import.file.noRows',
      'Berkas hanya berisi judul kolom, tanpa baris data',
      'unprocessable',
    );
  }

  let revision = existing.length ? existing[existing.length - 1].revision : -1;
  let consistencyToken = 0;
  if (existing.length === 0) {
    const started = await execute(deps, ctx, async () => ({
      appends: [
        {
          streamId,
          expected: 'no_stream',
          events: [
            {
              type: 'NominationImportStarted',
              data: { importId, programId, fileSha256, fileName: file.fileName.slice(0, 200), format },
              metadata: metadata(ctx, { importId }),
            },
          ],
        },
      ],
      result: {},
    }));
    revision = 0;
    consistencyToken = started.consistencyToken;
  }
  const recorded = existing
    .filter((e) => e.type === 'NominationRowsRecorded')
    .flatMap((e) => (e.data as { rows: NominationOutcome[] }).rows);
  const resumeAfter = recorded.length ? recorded[recorded.length - 1].key : 0;
  let accepted = recorded.filter((r) => r.status === 'accepted').length;
  let total = recorded.length;
  const chunkCtx = { ...ctx, idempotencyKey: undefined };

  const flush = async (chunk: NominationRequest[]) => {
    if (chunk.length === 0) return;
    const written = await proposeNominations(deps, chunkCtx, programId, chunk, {
      importId,
      expectedRevision: revision,
      recordEvent: (outcomes) => ({
        type: 'NominationRowsRecorded',
        data: { importId, programId, rows: outcomes.map((o) => ({ ...o, participantId: null })) },
        metadata: metadata(ctx, { importId }),
      }),
    });
    revision += 1;
    total += written.outcomes.length;
    accepted += written.outcomes.filter((o) => o.status === 'accepted').length;
    consistencyToken = written.consistencyToken;
  };

  let chunk: NominationRequest[] = [];
  let failure: { rule: string; message: string } | undefined;
  try {
    for (let next = first; !next.done; next = await rows.next()) {
      const row = next.value;
      if (row.rowNumber <= resumeAfter) continue;
      chunk.push({ key: row.rowNumber, values: row.values, problems: row.problems });
      if (chunk.length >= CHUNK) {
        await flush(chunk);
        chunk = [];
      }
    }
    await flush(chunk);
  } catch (error) {
    if (!(error instanceof NominationFileError)) throw error;
    // The rows before the damage stay proposed (row-level semantics); the import says where it stopped.
    failure = { rule: error.code, message: error.message };
  }

  const final: ImportEvent = failure
    ? { type: 'NominationImportFailed', data: { importId, programId, ...failure } }
    : {
        type: 'NominationImportCompleted',
        data: { importId, programId, total, accepted, rejected: total - accepted },
      };
  const closed = await execute(deps, chunkCtx, async () => ({
    appends: [
      { streamId, expected: revision, events: [{ ...final, metadata: metadata(ctx, { importId }) }] },
    ],
    result: {},
  }));
  return {
    importId,
    programId,
    status: failure ? 'failed' : 'completed',
    total,
    accepted,
    rejected: total - accepted,
    repeated: false,
    ...(failure ? { failure } : {}),
    consistencyToken: Math.max(consistencyToken, closed.consistencyToken),
  };
}

/** Enrollment ids an import proposed, for approving the batch as a whole. */
export async function importedEnrollments(deps: LedgerDeps, importId: string) {
  const events = await deps.store.readStream(streams.nominationImport(importId));
  if (events.length === 0) throw new RuleViolation('import.notFound', 'Impor tidak ditemukan', 'not_found');
  const started = events[0].data as Extract<ImportEvent, { type: 'NominationImportStarted' }>['data'];
  const ids = events
    .filter((e) => e.type === 'NominationRowsRecorded')
    .flatMap((e) => (e.data as { rows: NominationOutcome[] }).rows)
    .filter((r) => r.enrollmentId)
    .map((r) => r.enrollmentId!);
  return { programId: started.programId, enrollmentIds: ids };
}
