import { Readable } from 'node:stream';
import { nikHmac } from '@ledger/crypto';
import { readingTurns, type NominationFileLimits } from '../../enrollment/import/file-limits';
import { NominationFileError } from '../../enrollment/import/nomination-row';
import { slices } from '../../enrollment/import/sheet-row';
import { inspect, type NominationUpload } from '../../enrollment/import/upload/upload.handler';
import { checkXlsxInflation } from '../../enrollment/import/xlsx-inflation';
import type { NikRegistryEvent } from '../../participants/participant.events';
import { maskNik } from '../../participants/nik';
import { execute, hashOf, metadata, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { checkNotFuture } from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation, type Reason } from '../../shared/rule-violation';
import { streams } from '../../shared/streams';
import type { InvoiceId } from '../contribution.events';
import { parseInvoiceId } from '../dues.state';
import { BILL_COLUMN_LABELS, type ColumnMapping } from './bpjs-bill-columns';
import { parseBillFile } from './bpjs-bill-file';
import {
  decideBpjsBill,
  evolveBill,
  initialBillState,
  type BilledRow,
  type BpjsBillResult,
  type RecordBpjsBill,
} from './bpjs-bill.decider';
import type { BpjsBillEvent, ControlTotals } from './bpjs-bill.events';

export interface BpjsBillOptions {
  limits?: Partial<NominationFileLimits>;
  /** How the columns of an unknown layout are named (`columns[nik]=...`). */
  columns?: ColumnMapping;
  /** The day the payer received the bill; default today. */
  receivedOn?: IsoDate;
  signal?: AbortSignal;
}

/** Cell problems reported at most, so that a refusal of a broken bill stays readable. */
const MAX_REPORTED_PROBLEMS = 20;
/** Registry streams read at once while the rows are matched. */
const REGISTRY_READS = 16;

/**
 * Records the bill BPJS sent for an invoice, read from its CSV/XLSX with the nomination
 * import's readers and limits, and compared line by line with the invoice's frozen roster.
 *
 * A NIK is matched through its registry stream (keyed by its HMAC), which names every
 * enrollment that claimed it: no plain NIK is stored or looked up anywhere. The whole file is
 * read before anything is written, and any cell that cannot be read refuses the bill (422 with
 * the rows and columns), so a malformed file changes nothing.
 */
export async function recordBpjsBillFile(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: InvoiceId,
  file: NominationUpload,
  options: BpjsBillOptions = {},
): Promise<BpjsBillResult & { consistencyToken: number }> {
  const target = parseInvoiceId(invoiceId);
  if (!target) throw new RuleViolation('invoice.notFound', 'Tagihan (invoice) tidak ditemukan', 'not_found');
  await invoiceInScope(deps, ctx, invoiceId);
  const receivedOn = receivedOnOf(options.receivedOn, ctx);

  const content = file.content;
  const open = typeof content === 'function' ? content : () => Readable.from(slices(content));
  const inspected = await inspect(open(), file, options.signal);
  const parseOptions = { limits: options.limits, signal: options.signal, encoding: inspected.encoding };
  const read: Omit<BilledRow, 'enrollmentIds'>[] = [];
  const problems: Reason[] = [];
  let problemRows = 0;
  try {
    if (inspected.format === 'xlsx') {
      await checkXlsxInflation(open(), { ...parseOptions, directory: inspected.directory });
    }
    for await (const row of parseBillFile(open(), inspected.format, options.columns ?? {}, parseOptions)) {
      if (row.problems.length > 0) {
        problemRows += 1;
        for (const p of row.problems) {
          if (problems.length < MAX_REPORTED_PROBLEMS) {
            problems.push({
              field: `baris ${row.rowNumber}: ${BILL_COLUMN_LABELS[p.field]}`,
              rule: p.rule,
              message: `Baris ${row.rowNumber}, kolom ${BILL_COLUMN_LABELS[p.field]}: ${p.message}`,
            });
          }
        }
        continue;
      }
      const { nik, kpj, period, amount } = row.values;
      read.push({
        row: row.rowNumber,
        nikKey: nik ? nikHmac(deps.nikHmacKey, nik) : null,
        maskedNik: nik ? maskNik(nik) : null,
        kpjKey: kpj ?? null,
        maskedKpj: kpj ? maskKpj(kpj) : null,
        period: period ?? null,
        amount: amount!,
      });
    }
  } catch (error) {
    if (error instanceof NominationFileError) {
      const { rowNumber, column, columns } = error.details;
      throw new RuleViolation(error.code, error.message, 'unprocessable', {
        field: 'file',
        ...(rowNumber !== undefined ? { row: rowNumber } : {}),
        ...(column !== undefined ? { column } : {}),
        ...(columns !== undefined ? { columns } : {}),
      });
    }
    throw error;
  }
  if (problems.length > 0) {
    const [first] = problems;
    throw new RuleViolation(
      'bill.row.invalid',
      `${problemRows.toLocaleString('id-ID')} baris tagihan tidak dapat dibaca; tidak ada yang dicatat. ${first.message}`,
      'unprocessable',
      { field: 'file', row: Number(/\d+/.exec(first.field!)![0]), rows: problemRows },
      problems,
    );
  }
  // The rows hold NIKs only as keys from here on: the registry names the enrollments of each.
  const rows = await withEnrollments(deps, read, options.signal);
  // The same Idempotency-Key with another file is another request (409), not the first one's answer.
  const fileCtx = ctx.requestHash
    ? { ...ctx, requestHash: hashOf([ctx.requestHash, inspected.fileSha256]) }
    : ctx;
  return record(deps, fileCtx, {
    type: 'RecordBpjsBill',
    invoiceId,
    receivedOn,
    source: 'file',
    file: { name: safeFileName(file.fileName), sha256: inspected.fileSha256, format: inspected.format },
    rows,
  });
}

/** Records a bill by its control totals only (participants and rupiah), compared with the invoice's. */
export async function recordBpjsBillTotals(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: InvoiceId,
  billed: ControlTotals,
  receivedOn?: IsoDate,
): Promise<BpjsBillResult & { consistencyToken: number }> {
  for (const field of ['participants', 'amount'] as const) {
    const value = billed[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RuleViolation(
        `bill.${field}.invalid`,
        `${field} harus bilangan bulat tidak negatif`,
        'unprocessable',
        {
          field,
        },
      );
    }
  }
  await invoiceInScope(deps, ctx, invoiceId);
  return record(deps, ctx, {
    type: 'RecordBpjsBill',
    invoiceId,
    receivedOn: receivedOnOf(receivedOn, ctx),
    source: 'totals',
    billed,
  });
}

function receivedOnOf(day: IsoDate | undefined, ctx: CommandContext): IsoDate {
  if (day === undefined) return ctx.today;
  checkNotFuture('receivedOn', day, ctx.today);
  return day;
}

/** 404 for an unknown invoice and 403 outside the caller's scope, before a file is read. */
async function invoiceInScope(deps: LedgerDeps, ctx: CommandContext, invoiceId: InvoiceId): Promise<void> {
  const state = await readBillState(deps, invoiceId);
  const invoice = state?.state.dues.invoices.find((i) => i.terms.invoiceId === invoiceId);
  if (!invoice) throw new RuleViolation('invoice.notFound', 'Tagihan (invoice) tidak ditemukan', 'not_found');
  if (ctx.covers && !ctx.covers(invoice.terms.ownerRegion)) {
    throw new RuleViolation('auth.scope', 'Program di luar cakupan token', 'forbidden');
  }
}

async function readBillState(deps: Pick<LedgerDeps, 'store'>, invoiceId: InvoiceId) {
  const target = parseInvoiceId(invoiceId);
  if (!target) return null;
  const streamId = streams.dues(target.programId, target.month);
  const events = await deps.store.readStream(streamId);
  const state = events.reduce((s, e) => evolveBill(s, e as unknown as BpjsBillEvent), initialBillState());
  return { streamId, state, revision: events.length ? events[events.length - 1].revision : -1 };
}

async function record(
  deps: LedgerDeps,
  ctx: CommandContext,
  command: RecordBpjsBill,
): Promise<BpjsBillResult & { consistencyToken: number }> {
  return execute(deps, ctx, async () => {
    const loaded = await readBillState(deps, command.invoiceId);
    if (!loaded)
      throw new RuleViolation('invoice.notFound', 'Tagihan (invoice) tidak ditemukan', 'not_found');
    const events = decideBpjsBill(command, loaded.state);
    const head = events[0];
    if (head.type !== 'BpjsBillRecorded') throw new Error('a bill starts with BpjsBillRecorded');
    const {
      invoiceId,
      billId,
      version,
      billed,
      invoiced,
      difference,
      differenceCounts,
      lineCount,
      matchedRows,
    } = head.data;
    return {
      appends: [
        {
          streamId: loaded.streamId,
          // The invoice, its roster and the bill's version as read: a write in between decides again.
          expected: loaded.revision,
          events: events.map((e) => ({ ...e, metadata: metadata(ctx, { invoiceId, billId }) })),
        },
      ],
      result: {
        invoiceId,
        billId,
        version,
        billed,
        invoiced,
        difference,
        differenceCounts,
        lineCount,
        matchedRows,
      },
    };
  });
}

/** Every enrollment each NIK's registry names, read a few streams at a time. */
async function withEnrollments(
  deps: Pick<LedgerDeps, 'store'>,
  rows: Omit<BilledRow, 'enrollmentIds'>[],
  signal: AbortSignal | undefined,
): Promise<BilledRow[]> {
  const keys = [...new Set(rows.map((r) => r.nikKey).filter((k): k is string => k !== null))];
  const claims = new Map<string, string[]>();
  const programOf: Record<string, string> = {};
  const turn = readingTurns(signal);
  for (let i = 0; i < keys.length; i += REGISTRY_READS) {
    const batch = keys.slice(i, i + REGISTRY_READS);
    const read = await Promise.all(batch.map((key) => deps.store.readStream(streams.nik(key))));
    batch.forEach((key, j) => {
      const ids = new Set<string>();
      for (const e of read[j] as unknown as NikRegistryEvent[]) {
        if (e.type === 'CoverageClaimed') {
          ids.add(e.data.enrollmentId);
          programOf[e.data.enrollmentId] = e.data.programId;
        }
      }
      claims.set(key, [...ids]);
    });
    await turn();
  }
  return rows.map((r) => {
    const enrollmentIds = r.nikKey ? (claims.get(r.nikKey) ?? []) : [];
    return {
      ...r,
      enrollmentIds,
      programOf: Object.fromEntries(enrollmentIds.map((id) => [id, programOf[id]])),
    };
  });
}

/** A KPJ number shown as its first and last two characters. */
function maskKpj(kpj: string): string {
  return kpj.length <= 4
    ? '*'.repeat(kpj.length)
    : kpj.slice(0, 2) + '*'.repeat(kpj.length - 4) + kpj.slice(-2);
}

/** A file name goes into the log: a NIK in it ("1603….xlsx") is masked, and it stays short. */
function safeFileName(name: string): string {
  return name.replace(/\d{16}/g, (nik) => maskNik(nik)).slice(0, 200);
}
