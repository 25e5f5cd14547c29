import { Readable } from 'node:stream';
import type { NominationFileLimits } from '../../enrollment/import/file-limits';
import { NominationFileError } from '../../enrollment/import/nomination-row';
import { slices } from '../../enrollment/import/sheet-row';
import { inspect, type NominationUpload } from '../../enrollment/import/upload/upload.handler';
import { checkXlsxInflation } from '../../enrollment/import/xlsx-inflation';
import { hashOf, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { uuidv7 } from '../../shared/ids';
import { RuleViolation } from '../../shared/rule-violation';
import { writeTreasury } from '../treasury.deps';
import { usedNumbersAmong } from '../treasury.load';
import { normaliseNumber } from '../treasury.state';
import { decideImportSp2d, type Sp2dImportResult, type Sp2dRowReport } from './import-sp2d.decider';
import { parseSp2dFile, type Sp2dFileRow } from './sp2d-file';

/** Rows one export may hold: a regency's SP2Ds of a year are a few thousand. */
export const MAX_SP2D_ROWS = 10_000;

export interface Sp2dImportOptions {
  limits?: Partial<NominationFileLimits>;
  signal?: AbortSignal;
}

/**
 * POST /api/programs/:id/sp2d-imports: the treasury system's SP2D export for one fiscal year,
 * read with the nomination import's upload machinery (format detection, encoding, zip limits),
 * every row decided in one write with a row report.
 */
export async function importSp2d(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  fiscalYear: number,
  file: NominationUpload,
  options: Sp2dImportOptions = {},
) {
  const content = file.content;
  const open = typeof content === 'function' ? content : () => Readable.from(slices(content));
  const inspected = await inspect(open(), file, options.signal);
  const limits = {
    ...options.limits,
    maxRows: Math.min(options.limits?.maxRows ?? MAX_SP2D_ROWS, MAX_SP2D_ROWS),
  };
  const parseOptions = { limits, signal: options.signal, encoding: inspected.encoding };
  const rows: Sp2dFileRow[] = [];
  try {
    if (inspected.format === 'xlsx') {
      await checkXlsxInflation(open(), { ...parseOptions, directory: inspected.directory });
    }
    for await (const row of parseSp2dFile(open(), inspected.format, parseOptions)) rows.push(row);
  } catch (error) {
    if (error instanceof NominationFileError) {
      throw new RuleViolation(error.code, error.message, 'unprocessable', { field: 'file' }, [
        { field: 'file', rule: error.code, message: error.message },
      ]);
    }
    throw error;
  }
  if (rows.length === 0) {
    throw new RuleViolation(
      'import.file.noRows',
      'Berkas tidak memuat baris SP2D',
      'unprocessable',
      { field: 'file' },
      [{ field: 'file', rule: 'import.file.noRows', message: 'Berkas tidak memuat baris SP2D' }],
    );
  }
  const importId = uuidv7();
  let report: Sp2dRowReport[] = [];
  const count = (status: Sp2dRowReport['status']) => report.filter((r) => r.status === status).length;
  // The same Idempotency-Key with another file is another request (409), not the first one's answer.
  const fileCtx = ctx.requestHash
    ? { ...ctx, requestHash: hashOf([ctx.requestHash, inspected.fileSha256]) }
    : ctx;
  // A number stays unique in the regency and year through its guard stream, appended with
  // `no_stream` together with the SP2D: if another program took it, the whole append is refused.
  // Looking every number up first would cost a read per row (a round trip each on PostgreSQL),
  // so the first attempt reads none; an attempt after a refused append looks up the file's new
  // numbers, so that each row taken elsewhere is reported as such and the others are recorded.
  let attempts = 0;
  return writeTreasury(
    deps,
    fileCtx,
    programId,
    fiscalYear,
    async (state, regionCode) => {
      const fresh = [
        ...new Set(rows.flatMap((r) => (r.values.number ? [normaliseNumber(r.values.number)] : []))),
      ].filter((number) => !state.sp2d.has(number));
      const usedNumbers =
        attempts++ === 0
          ? new Set<string>()
          : await usedNumbersAmong(deps, regionCode, fiscalYear, 'sp2d', fresh);
      const decided = decideImportSp2d(
        { type: 'ImportSp2d', importId, programId, regionCode, fiscalYear, rows, usedNumbers },
        state,
      );
      report = decided.report;
      return decided.events;
    },
    (): Sp2dImportResult => ({
      importId,
      rows: report.length,
      recorded: count('recorded'),
      alreadyRecorded: count('already_recorded'),
      refused: count('refused'),
      report,
    }),
  );
}
