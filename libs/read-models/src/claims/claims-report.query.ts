import { sql } from 'kysely';
import type { ReadQuery } from '../read-schema';

export interface ClaimsReportFilter {
  /** A region code: the claims of participants whose village lies in it. */
  region: string;
  programId?: string;
  kind?: string;
  /** The year of the death or accident. */
  year?: number;
}

/** One group: claims of a regency, program, kind and status whose event fell in a month. */
export interface ClaimsReportGroup {
  regency: string;
  programId: string;
  kind: string;
  status: string;
  /** YYYY-MM of the death or accident. */
  month: string;
  claims: number;
  /** Approved amount of the group's approved and paid claims, whole rupiah. */
  amount: number;
  /** Approved amount of the paid ones. */
  paidAmount: number;
}

/** Days from the death or accident to payment, over a regency's paid claims. */
export interface PaymentDelay {
  regency: string;
  paidClaims: number;
  medianDays: number;
  p90Days: number;
}

export interface ClaimsReport {
  region: string;
  /** The effective day the claims are counted on, when asked for one (each claim after its last step dated by it). */
  asOf?: string;
  /** The log position the claims were known at, when asked for one. */
  knownAt?: number;
  programId: string | null;
  kind: string | null;
  year: number | null;
  totals: { claims: number; amount: number; paidAmount: number };
  groups: ClaimsReportGroup[];
  paymentDelay: PaymentDelay[];
}

/**
 * Nearest-rank percentile of values given as counts per value, ascending: the value at or
 * below which p % of them lie.
 */
function percentile(counts: DelayCount[], total: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const c of counts) {
    seen += c.n;
    if (seen >= rank) return c.days;
  }
  return counts[counts.length - 1].days;
}

/**
 * Claims of a region counted by regency, program, kind, status and month of the event, with
 * their amounts, and the days from death or accident to payment (median, p90) per regency.
 * Grouped in the database: the answer grows with the groups, not with the claims. The delays
 * too: paid claims counted per regency and number of days (stored at projection time), the
 * median and p90 walked from those counts.
 */
export async function claimsReport(
  db: ReadQuery,
  filter: ClaimsReportFilter,
  at: ClaimsAt = {},
): Promise<ClaimsReport> {
  if (at.asOf !== undefined || at.knownAt !== undefined) return await claimsReportAt(db, filter, at);
  // Ranges rather than LIKE: both databases read them from the index. The regency leads the
  // index: the one regency of a region of four digits or more (an equality, so that a program
  // and a kind narrow the index search too), or a province's regencies as a range; the
  // village range narrows a district or village. Codes are digits, and digits sort before
  // letters in the C and the usual locale collations.
  const base = db.selectFrom('claims');
  let scoped =
    filter.region.length >= 4
      ? base.where('regency', '=', filter.region.slice(0, 4))
      : base.where('regency', '>=', filter.region).where('regency', '<', `${filter.region}z`);
  scoped = scoped.where('village_code', '>=', filter.region).where('village_code', '<', `${filter.region}z`);
  if (filter.programId) scoped = scoped.where('program_id', '=', filter.programId);
  if (filter.kind) scoped = scoped.where('kind', '=', filter.kind);
  if (filter.year !== undefined) scoped = scoped.where('event_month', 'like', `${filter.year}-%`);
  const decided = sql<number>`coalesce(sum(case when status in ('approved', 'paid') then amount else 0 end), 0)`;
  const paid = sql<number>`coalesce(sum(case when status = 'paid' then amount else 0 end), 0)`;
  const [rows, delayRows] = await Promise.all([
    scoped
      .select([
        'regency',
        'program_id',
        'kind',
        'status',
        'event_month',
        (eb) => eb.fn.countAll().as('n'),
        decided.as('amount'),
        paid.as('paid_amount'),
      ])
      // Grouped in the index's order; only the groups are sorted for the answer.
      .groupBy(['regency', 'program_id', 'kind', 'status', 'event_month'])
      .orderBy('regency')
      .orderBy('event_month')
      .orderBy('program_id')
      .orderBy('kind')
      .orderBy('status')
      .execute(),
    scoped
      .select(['regency', 'payment_days', (eb) => eb.fn.countAll().as('n')])
      .where('status', '=', 'paid')
      .where('payment_days', 'is not', null)
      .groupBy(['regency', 'payment_days'])
      .execute(),
  ]);
  const groups: ClaimsReportGroup[] = rows.map((r) => ({
    regency: r.regency,
    programId: r.program_id,
    kind: r.kind,
    status: r.status,
    month: r.event_month,
    claims: Number(r.n),
    amount: Number(r.amount),
    paidAmount: Number(r.paid_amount),
  }));
  const delays = delayRows.map((r) => ({
    regency: String(r.regency),
    days: Number(r.payment_days),
    n: Number(r.n),
  }));
  return reportOf(filter, groups, delays);
}

/** Paid claims of a regency whose payment came `days` days after the event. */
type DelayCount = { regency: string; days: number; n: number };

/** The report from its groups and its delay counts: the totals are the groups' sums. */
function reportOf(
  filter: ClaimsReportFilter,
  groups: ClaimsReportGroup[],
  delayCounts: DelayCount[],
): ClaimsReport {
  const delays = new Map<string, DelayCount[]>();
  for (const c of delayCounts) delays.set(c.regency, [...(delays.get(c.regency) ?? []), c]);
  const paymentDelay = [...delays.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([regency, counts]) => {
      const sorted = counts.sort((a, b) => a.days - b.days);
      const paidClaims = sorted.reduce((total, c) => total + c.n, 0);
      return {
        regency,
        paidClaims,
        medianDays: percentile(sorted, paidClaims, 50),
        p90Days: percentile(sorted, paidClaims, 90),
      };
    });
  return {
    region: filter.region,
    programId: filter.programId ?? null,
    kind: filter.kind ?? null,
    year: filter.year ?? null,
    totals: groups.reduce(
      (t, g) => ({
        claims: t.claims + g.claims,
        amount: t.amount + g.amount,
        paidAmount: t.paidAmount + g.paidAmount,
      }),
      { claims: 0, amount: 0, paidAmount: 0 },
    ),
    groups,
    paymentDelay,
  };
}

/** The two times of a claims report: the effective day, and the log position it was known at. */
export interface ClaimsAt {
  asOf?: string;
  knownAt?: number;
}

/** Versions read at most for one report: a region's claims and their few steps each. */
const MAX_VERSIONS = 200_000;

/**
 * The report on day `asOf` as the ledger knew it at `knownAt` (either may be absent): each
 * claim of the scope as its last version recorded by `knownAt` standing by `asOf` (see
 * `claim_versions`; a claim reported after `asOf` is not counted yet), grouped as the current
 * report groups.
 */
async function claimsReportAt(
  db: ReadQuery,
  filter: ClaimsReportFilter,
  at: ClaimsAt,
): Promise<ClaimsReport> {
  let query = db
    .selectFrom('claim_versions')
    .select([
      'claim_id',
      'village_code',
      'program_id',
      'kind',
      'status',
      'event_date',
      'amount',
      'payment_days',
      'known_from',
    ])
    .where('village_code', '>=', filter.region)
    .where('village_code', '<', `${filter.region}z`);
  if (filter.programId) query = query.where('program_id', '=', filter.programId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.year !== undefined) query = query.where('event_date', 'like', `${filter.year}-%`);
  if (at.knownAt !== undefined) query = query.where('known_from', '<=', at.knownAt);
  if (at.asOf !== undefined) query = query.where('effective_on', '<=', at.asOf);
  const versions = await query.limit(MAX_VERSIONS).execute();
  const latest = new Map<string, (typeof versions)[number]>();
  for (const v of versions) {
    const found = latest.get(v.claim_id);
    if (!found || Number(v.known_from) > Number(found.known_from)) latest.set(v.claim_id, v);
  }
  const groups = new Map<string, ClaimsReportGroup>();
  const delays = new Map<string, DelayCount>();
  for (const v of latest.values()) {
    const regency = v.village_code.slice(0, 4);
    const month = v.event_date.slice(0, 7);
    const key = [regency, month, v.program_id, v.kind, v.status].join('|');
    const group = groups.get(key) ?? {
      regency,
      programId: v.program_id,
      kind: v.kind,
      status: v.status,
      month,
      claims: 0,
      amount: 0,
      paidAmount: 0,
    };
    const amount = v.amount === null ? 0 : Number(v.amount);
    group.claims += 1;
    if (v.status === 'approved' || v.status === 'paid') group.amount += amount;
    if (v.status === 'paid') group.paidAmount += amount;
    groups.set(key, group);
    if (v.status === 'paid' && v.payment_days !== null) {
      const days = Number(v.payment_days);
      const count = delays.get(`${regency}|${days}`) ?? { regency, days, n: 0 };
      count.n += 1;
      delays.set(`${regency}|${days}`, count);
    }
  }
  // The order of the grouped query: regency, month, program, kind, status.
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  return {
    ...reportOf(filter, sorted, [...delays.values()]),
    ...(at.asOf === undefined ? {} : { asOf: at.asOf }),
    ...(at.knownAt === undefined ? {} : { knownAt: at.knownAt }),
  };
}
