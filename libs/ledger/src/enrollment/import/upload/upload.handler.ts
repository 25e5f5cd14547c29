import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { loadExistingProgram } from '../../../programs/program.load';
import {
  assertReach,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../../shared/command.deps';
import { RuleViolation } from '../../../shared/rule-violation';
import { streams } from '../../../shared/streams';
import type { NominationRequest } from '../../propose/check-row';
import { proposeNominations } from '../../propose/propose.handler';
import { proposalDates, type ProposalDatesRequest } from '../../propose/proposal-dates';
import type { ImportEvent } from '../import.events';
import { readingTurns, type NominationFileLimits, type ParseOptions } from '../file-limits';
import { detectFormat, parseNominationFile } from '../nomination-file';
import { NominationFileError } from '../nomination-row';
import { slices } from '../sheet-row';
import { checkXlsxInflation, zipDirectory, type ZipDirectory } from '../xlsx-inflation';
import { declaredCharset, TextEncodingScan, type TextEncodingName } from '../text-encoding';
import {
  decideUpload,
  evolveImport,
  initialImportState,
  summaryOf,
  type ImportSummary,
  type UploadCommand,
} from './upload.decider';

/** The same file for the same program is the same import: its id is derived from both. */
export function importIdFor(programId: string, fileSha256: string): string {
  return createHash('sha256').update(`${programId}:${fileSha256}`).digest('hex').slice(0, 32);
}

const CHUNK = 1000;

/** The uploaded list. */
export interface NominationUpload {
  fileName: string;
  contentType?: string;
  /**
   * The bytes, or a function that opens them again for each pass: an upload spooled to disk is
   * read three times (hash and encoding; the checks; the proposals), never held in memory.
   */
  content: Buffer | (() => Readable);
}

export interface ImportOptions {
  limits?: Partial<NominationFileLimits>;
  /** The effective dates every row of the list is proposed with (coverage start, backfill). */
  dates?: ProposalDatesRequest;
  /** Aborted when the client goes away: reading stops, an import under way can be resumed. */
  signal?: AbortSignal;
}

/**
 * Imports a nomination list (usulan BNBA): rows are read as a stream and proposed in chunks,
 * each chunk one atomic append that also records the chunk's part of the report. Uploading
 * the same file again finds the finished import and returns its report unchanged; an import
 * cut short (crash, or the client went away) resumes after the last recorded row.
 *
 * The whole file is read once before anything is written, so that a file refused as a whole
 * (too many rows, a run of blank rows, an XLSX that inflates too far, a broken CSV, bytes that
 * are neither UTF-8 nor Windows-1252) changes nothing.
 */
export async function importNominations(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  file: NominationUpload,
  options: ImportOptions = {},
): Promise<ImportSummary & { consistencyToken: number }> {
  const content = file.content;
  const open = typeof content === 'function' ? content : () => Readable.from(slices(content));
  const inspected = await inspect(open(), file, options.signal);
  const { format, fileSha256 } = inspected;
  const importId = importIdFor(programId, fileSha256);
  const streamId = streams.nominationImport(importId);

  // The program must exist, be open and be the caller's before anything is written.
  const { program } = await loadExistingProgram(deps, programId);
  assertReach(ctx, program.terms.ownerRegion);
  const existing = await deps.store.readStream(streamId);
  const state = existing.reduce((s, e) => evolveImport(s, e as unknown as ImportEvent), initialImportState());
  const done = summaryOf(importId, programId, state, true);
  if (done) return { ...done, consistencyToken: existing[existing.length - 1].position };
  if (program.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
  // A list whose dates or backfill are refused changes nothing: decided before the import starts.
  proposalDates(options.dates ?? {}, program, ctx.today, ctx.actor.role);

  const parseOptions: ParseOptions = { ...options, encoding: inspected.encoding };
  let dataRows = 0;
  try {
    if (format === 'xlsx') await checkXlsxInflation(open(), { ...options, directory: inspected.directory });
    for await (const _row of parseNominationFile(open(), format, parseOptions)) dataRows += 1;
  } catch (error) {
    if (error instanceof NominationFileError) throw refusal(error);
    throw error;
  }

  let revision = existing.length ? existing[existing.length - 1].revision : -1;
  const start: UploadCommand = {
    type: 'StartImport',
    importId,
    programId,
    fileSha256,
    fileName: file.fileName,
    format,
    dataRows,
  };
  const written = await appendToImport(deps, ctx, streamId, revision, decideUpload(start, state));
  revision = written.revision;
  let consistencyToken = written.consistencyToken;
  const recorded = state.rows;
  const resumeAfter = recorded.length ? recorded[recorded.length - 1].key : 0;
  let accepted = recorded.filter((r) => r.status === 'accepted').length;
  let total = recorded.length;
  const chunkCtx = { ...ctx, idempotencyKey: undefined };
  const turn = readingTurns(options.signal);

  const flush = async (chunk: NominationRequest[]) => {
    if (chunk.length === 0) return;
    const written = await proposeNominations(
      deps,
      chunkCtx,
      programId,
      chunk,
      { importId, expectedRevision: revision },
      options.dates,
    );
    revision += 1;
    total += written.outcomes.length;
    accepted += written.outcomes.filter((o) => o.status === 'accepted').length;
    consistencyToken = written.consistencyToken;
    await turn();
  };

  // One NIK is one row of the file: later rows with the same NIK are refused naming the first,
  // however far apart they are (a chunk alone would only see the rows it holds, and the next
  // chunk would find the first row's claim and call the person already covered).
  const firstRowOfNik = new Map<string, number>();
  let chunk: NominationRequest[] = [];
  let failure: { rule: string; message: string } | undefined;
  try {
    for await (const row of parseNominationFile(open(), format, parseOptions)) {
      const problems = [...row.problems];
      const nik = row.values.nik;
      if (nik && /^\d{16}$/.test(nik)) {
        const first = firstRowOfNik.get(nik);
        if (first === undefined) firstRowOfNik.set(nik, row.rowNumber);
        else
          problems.push({
            field: 'nik',
            rule: 'nik.duplicateInRequest',
            message: `NIK sama dengan baris ${first}`,
          });
      }
      if (row.rowNumber <= resumeAfter) continue;
      chunk.push({ key: row.rowNumber, values: row.values, problems });
      if (chunk.length >= CHUNK) {
        await flush(chunk);
        chunk = [];
      }
    }
    await flush(chunk);
  } catch (error) {
    if (!(error instanceof NominationFileError) || error.code === 'import.cancelled') throw refusalOf(error);
    // Only if the bytes changed between the passes: the rows before stay proposed, the import says where it stopped.
    failure = { rule: error.code, message: error.message };
  }

  const end: UploadCommand = { type: 'EndImport', importId, programId, total, accepted, failure };
  const closed = await appendToImport(deps, chunkCtx, streamId, revision, decideUpload(end, state));
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

/** Appends an import's own events at the revision its stream is at; nothing to append is no write. */
async function appendToImport(
  deps: LedgerDeps,
  ctx: CommandContext,
  streamId: string,
  revision: number,
  events: ImportEvent[],
): Promise<{ revision: number; consistencyToken: number }> {
  if (events.length === 0) return { revision, consistencyToken: 0 };
  const written = await execute(deps, ctx, async () => ({
    appends: [
      {
        streamId,
        expected: revision < 0 ? ('no_stream' as const) : revision,
        events: events.map((e) => ({ ...e, metadata: metadata(ctx, { importId: e.data.importId }) })),
      },
    ],
    result: {},
  }));
  return { revision: revision + events.length, consistencyToken: written.consistencyToken };
}

/** A file refused as a whole: 422 naming the rule, with the row (and column) where one applies. */
function refusal(error: NominationFileError): RuleViolation {
  const { rowNumber, column, columns } = error.details;
  return new RuleViolation(error.code, error.message, 'unprocessable', {
    ...(rowNumber !== undefined ? { row: rowNumber } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(columns !== undefined ? { columns } : {}),
  });
}

function refusalOf(error: unknown): unknown {
  return error instanceof NominationFileError ? refusal(error) : error;
}

const TAIL_BYTES = 1024 * 1024;

/** The last chunks that together hold at least TAIL_BYTES. */
function keepTail(tail: Buffer[], chunk: Buffer): void {
  tail.push(chunk);
  let bytes = tail.reduce((sum, c) => sum + c.length, 0);
  while (tail.length > 1 && bytes - tail[0].length >= TAIL_BYTES) bytes -= tail.shift()!.length;
}

/**
 * First pass over the bytes: the format, the SHA-256 that names the import, and for a CSV its
 * text encoding, decided over the whole file (see text-encoding.ts).
 */
export async function inspect(
  source: Readable,
  file: NominationUpload,
  signal: AbortSignal | undefined,
): Promise<{
  format: 'csv' | 'xlsx';
  fileSha256: string;
  encoding: TextEncodingName;
  directory?: ZipDirectory;
}> {
  const hash = createHash('sha256');
  // The end of a zip, where its central directory is: the declared sizes of its parts.
  const tail: Buffer[] = [];
  let size = 0;
  let format: 'csv' | 'xlsx' | null | undefined;
  const scan = new TextEncodingScan();
  const turn = readingTurns(signal);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (format === undefined) {
        format = detectFormat(file.fileName, file.contentType, chunk.subarray(0, 8));
        if (!format) break;
      }
      hash.update(chunk);
      size += chunk.length;
      if (format === 'csv') scan.write(chunk);
      else keepTail(tail, chunk);
      await turn();
    }
  } finally {
    if (!source.destroyed) source.destroy();
  }
  if (!format) {
    // Also an empty body: detectFormat without bytes goes by the name and content type.
    format = format === undefined ? detectFormat(file.fileName, file.contentType, undefined) : null;
    if (!format) throw new RuleViolation('import.format', 'Berkas harus CSV atau XLSX', 'unprocessable');
  }
  if (format === 'xlsx') {
    return {
      format,
      fileSha256: hash.digest('hex'),
      encoding: 'utf-8',
      directory: zipDirectory(Buffer.concat(tail), size),
    };
  }
  const verdict = scan.verdict(declaredCharset(file.contentType));
  if ('badByte' in verdict) {
    const { row, column } = verdict.badByte;
    throw new RuleViolation(
      'import.file.encoding',
      `Berkas bukan teks ${verdict.expected === 'utf-8' ? 'UTF-8' : 'Windows-1252'} yang utuh: byte tidak valid ` +
        `pada baris ${row}, kolom (karakter) ${column}. Simpan ulang dari Excel sebagai "CSV UTF-8".`,
      'unprocessable',
      { row, column },
    );
  }
  return { format, fileSha256: hash.digest('hex'), encoding: verdict.encoding };
}
