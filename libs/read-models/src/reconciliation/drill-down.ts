import type { BillLine } from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.events';
import { maskNik } from '@ledger/ledger/participants/nik';
import type { ParticipantEvent } from '@ledger/ledger/participants/participant.events';
import { openPersonal } from '@ledger/ledger/participants/personal-data.deps';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { bpjsBill } from '../bpjs-bills/bpjs-bill.query';
import { invalid } from '../params';
import type { ReadQuery } from '../read-schema';
import type { ElsewhereLine } from './reconciliation.projection';
import type { ReconciliationCode } from './reconciliation.query';
import { coveredByTwoPayers } from './two-payers';

/** The codes with people behind them; the SP2D's own codes (no invoice, budget line) have none. */
export const DRILL_CODES = [
  'ROSTER_NOT_BILLED',
  'BILLED_NOT_ON_ROSTER',
  'AMOUNT_DIFFERS',
  'COVERED_BY_TWO_PAYERS',
  'INVOICE_UNPAID',
  'DISBURSED_TWICE',
  'DISBURSEMENT_EXCEEDS_INVOICE',
] as const satisfies readonly ReconciliationCode[];
type DrillCode = (typeof DRILL_CODES)[number];

export const MAX_DRILL_LIMIT = 500;

export interface DrillParams {
  programId: string;
  month: string;
  code: DrillCode;
  invoiceId: string | null;
  offset: number;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function count(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value))
    invalid(field, 'isInt', `${field} harus bilangan bulat`);
  const n = Number(value);
  if (n > max) invalid(field, 'max', `${field} paling besar ${max}`);
  return n;
}

/** `?program=&month=YYYY-MM&code=&invoice=&offset=&limit=` */
export function drillParams(query: Record<string, unknown>): DrillParams {
  const { program, month, code, invoice } = query;
  if (typeof program !== 'string' || !UUID.test(program)) invalid('program', 'isUuid', 'program harus UUID');
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    invalid('month', 'isYearMonth', 'month harus bulan YYYY-MM');
  if (typeof code !== 'string' || !(DRILL_CODES as readonly string[]).includes(code))
    invalid('code', 'isIn', `code harus salah satu dari: ${DRILL_CODES.join(', ')}`);
  if (invoice !== undefined && (typeof invoice !== 'string' || invoice.length > 100))
    invalid('invoice', 'isString', 'invoice harus id tagihan');
  return {
    programId: program.toLowerCase(),
    month,
    code: code as DrillCode,
    invoiceId: typeof invoice === 'string' && invoice !== '' ? invoice : null,
    offset: count(query.offset, 'offset', 0, 10_000_000),
    limit: count(query.limit, 'limit', 100, MAX_DRILL_LIMIT),
  };
}

export interface DrillParticipant {
  invoiceId: string;
  /** The roster's enrollment (for COVERED_BY_TWO_PAYERS the other payer's); null for a person on no roster. */
  enrollmentId: string | null;
  maskedNik: string | null;
  villageCode: string | null;
  billedAmount: number | null;
  invoicedAmount: number | null;
}

export interface DrillDown {
  programId: string;
  month: string;
  code: DrillCode;
  invoiceIds: string[];
  total: number;
  offset: number;
  limit: number;
  participants: DrillParticipant[];
}

type Entry = Omit<DrillParticipant, 'villageCode' | 'maskedNik'> & { maskedNik: string | null };

const notOnRoster = (l: BillLine) =>
  l.differences.includes('tidak_tercakup') || l.differences.includes('tanpa_nik');

/** The bill lines behind a bill code, in the bill's order (covered-elsewhere lines told apart). */
function billEntries(code: DrillCode, invoiceId: string, lines: BillLine[], twice: Set<number>): Entry[] {
  const out: Entry[] = [];
  let elsewhere = -1;
  for (const l of lines) {
    const isElsewhere = l.differences.includes('tidak_tercakup') && l.coveredElsewhere !== undefined;
    if (isElsewhere) elsewhere += 1;
    const paidTwice = isElsewhere && twice.has(elsewhere);
    const wanted =
      code === 'ROSTER_NOT_BILLED'
        ? l.differences.includes('tidak_ditagih')
        : code === 'AMOUNT_DIFFERS'
          ? l.differences.includes('jumlah_berbeda')
          : code === 'COVERED_BY_TWO_PAYERS'
            ? paidTwice
            : notOnRoster(l) && !paidTwice;
    if (!wanted) continue;
    out.push({
      invoiceId,
      enrollmentId: paidTwice ? (l.coveredElsewhere?.[0]?.enrollmentId ?? null) : l.enrollmentId,
      maskedNik: l.maskedNik,
      billedAmount: l.billedAmount,
      invoicedAmount: l.invoicedAmount,
    });
  }
  return out;
}

/**
 * The participants behind a difference line of a program's month: bill lines for the codes a
 * bill explains, the invoice's live roster lines for the payment codes (and for an invoice never
 * billed). A page at most `MAX_DRILL_LIMIT` long; NIKs only masked, opened for the page alone.
 */
export async function drillDown(
  db: ReadQuery,
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  params: DrillParams,
): Promise<DrillDown> {
  const { programId, month, code, offset, limit } = params;
  let q = db
    .selectFrom('reconciliation_invoices')
    .selectAll()
    .where('program_id', '=', programId)
    .where('month', '=', month)
    .where('cancelled', '=', 0);
  if (params.invoiceId) q = q.where('invoice_id', '=', params.invoiceId);
  const invoices = await q.orderBy('invoice_id').execute();
  const twoPayers =
    code === 'COVERED_BY_TWO_PAYERS' || code === 'BILLED_NOT_ON_ROSTER'
      ? await coveredByTwoPayers(
          db,
          invoices.map((row) => ({ ...row, elsewhere: JSON.parse(row.elsewhere) as ElsewhereLine[] })),
        )
      : new Map<string, { lines: Set<number> }>();
  const entries: Entry[] = [];
  let total = 0;
  for (const invoice of invoices) {
    const onRoster =
      code === 'INVOICE_UNPAID' ||
      code === 'DISBURSED_TWICE' ||
      code === 'DISBURSEMENT_EXCEEDS_INVOICE' ||
      (code === 'ROSTER_NOT_BILLED' && invoice.bill_id === null);
    if (onRoster) {
      const [{ n }] = await db
        .selectFrom('finance_invoice_lines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('invoice_id', '=', invoice.invoice_id)
        .where('cancelled_on', 'is', null)
        .execute();
      const from = Math.max(0, offset - total);
      const room = limit - entries.length;
      if (room > 0 && from < Number(n)) {
        const rows = await db
          .selectFrom('finance_invoice_lines')
          .select(['enrollment_id'])
          .where('invoice_id', '=', invoice.invoice_id)
          .where('cancelled_on', 'is', null)
          .orderBy('line')
          .offset(from)
          .limit(room)
          .execute();
        const amount = Math.round(Number(invoice.total_amount) / Math.max(1, Number(n)));
        for (const r of rows)
          entries.push({
            invoiceId: invoice.invoice_id,
            enrollmentId: r.enrollment_id,
            maskedNik: null,
            billedAmount: null,
            invoicedAmount: amount,
          });
      }
      total += Number(n);
      continue;
    }
    if (invoice.bill_id === null) continue;
    const bill = await bpjsBill(deps.store, invoice.invoice_id);
    const found = billEntries(
      code,
      invoice.invoice_id,
      bill?.lines ?? [],
      twoPayers.get(invoice.invoice_id)?.lines ?? new Set(),
    );
    const from = Math.max(0, offset - total);
    entries.push(...found.slice(from, from + Math.max(0, limit - entries.length)));
    total += found.length;
  }
  return {
    programId,
    month,
    code,
    invoiceIds: invoices.map((i) => i.invoice_id),
    total,
    offset,
    limit,
    participants: await withPlaces(db, deps, entries),
  };
}

/** Village and masked NIK of the page's enrollments (the NIK opened, masked, never kept). */
async function withPlaces(
  db: ReadQuery,
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  entries: Entry[],
): Promise<DrillParticipant[]> {
  const ids = [...new Set(entries.map((e) => e.enrollmentId).filter((id): id is string => id !== null))];
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('enrollments')
          .select(['id', 'participant_id', 'village_code'])
          .where('id', 'in', ids)
          .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const needNik = [
    ...new Set(
      entries
        .filter((e) => e.maskedNik === null && e.enrollmentId)
        .map((e) => byId.get(e.enrollmentId!)?.participant_id),
    ),
  ].filter((p): p is string => p !== undefined);
  const keys = needNik.length > 0 ? await deps.keys.getMany(needNik) : new Map<string, Buffer>();
  const masked = new Map<string, string | null>();
  for (const participantId of needNik) {
    const [registered] = await deps.store.readStream(streams.participant(participantId), { maxCount: 1 });
    const data = registered?.data as
      Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'] | undefined;
    const opened = data ? openPersonal(keys.get(participantId), participantId, data.personal) : null;
    masked.set(participantId, opened ? maskNik(opened.nik) : null);
  }
  return entries.map((e) => {
    const enrollment = e.enrollmentId ? byId.get(e.enrollmentId) : undefined;
    return {
      ...e,
      maskedNik: e.maskedNik ?? (enrollment ? (masked.get(enrollment.participant_id) ?? null) : null),
      villageCode: enrollment?.village_code ?? null,
    };
  });
}
