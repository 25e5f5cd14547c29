/**
 * The money decisions inside the program's consistency boundary, on SQLite and PostgreSQL:
 * an invoice frozen while the period is amended, and a refund decided while the coverage it
 * relies on is corrected, are started together REPETITIONS times each (in process and over
 * HTTP), each time on a fresh program. Whatever order the store settles on, the outcome must
 * be one a serial order gives. And the lapse sweep finds a coverage that owes months without
 * ever having been on their frozen rosters.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import { recordRefund } from '@ledger/ledger/contributions/record-refund/record-refund.handler';
import { sweepLapses } from '@ledger/ledger/contributions/sweep-lapses/sweep-lapses.handler';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { correctEnrollment } from '@ledger/ledger/enrollment/correct/correct.handler';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { createPeopleGenerator, type PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { amendProgram } from '@ledger/ledger/programs/amend/amend.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { streams } from '@ledger/ledger/shared/streams';
import { runtimeRosterSource, SWEEP_ACTOR } from '@ledger/runtime/commands';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody } from './support/ledger-fixtures';

const LINE = 16_800;
const PERIOD = { from: '2026-01-01', to: '2026-12-31' };
const REPETITIONS = 20;
const AT_ONCE = 10;
const admin = () => commandContext({ id: 'admin-dues-boundary', role: 'program_admin', region: MUARA_ENIM });
let references = 0;
const nextReference = () => `VA-BOUNDARY-${++references}`;

interface Outcome {
  ok: boolean;
  rule?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
}

/** The two sides of the races, called in process or sent over HTTP. */
interface Driver {
  issue(programId: string, month: string): Promise<Outcome>;
  amendPeriod(programId: string, period: { from: string; to: string }): Promise<Outcome>;
  refund(invoiceId: string, lines: number[]): Promise<Outcome>;
  correctEnd(enrollmentId: string, endedOn: string): Promise<Outcome>;
}

async function inProcess(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, body: await run() };
  } catch (error) {
    if (error instanceof RuleViolation) return { ok: false, rule: error.rule };
    throw error;
  }
}

async function positionOf(store: EventStore, streamId: string, type: string): Promise<number> {
  const events: RecordedEvent[] = await store.readStream(streamId);
  return events.find((e) => e.type === type)?.position ?? Infinity;
}

async function repeat(run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < REPETITIONS; i += AT_ONCE) {
    await Promise.all(Array.from({ length: AT_ONCE }, (_, j) => run(i + j)));
  }
}

/** Starts `second` a little after `first`, so that over the repetitions it lands in every phase of it. */
async function race<A, B>(
  store: EventStore,
  i: number,
  first: () => Promise<A>,
  second: () => Promise<B>,
  spread = AT_ONCE,
): Promise<[A, B]> {
  const late = async () => {
    for (let k = 0; k < i % spread; k++) {
      if (i % 2 === 0) await store.headPosition();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    return second();
  };
  return Promise.all([first(), late()]);
}

function boundarySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let store: EventStore;
  let deps: LedgerDeps;
  let people: PeopleGenerator;
  const drivers: Record<string, Driver> = {};

  const roster = () => runtimeRosterSource(ledger.runtime);

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    store = ledger.runtime.store;
    deps = {
      store,
      keys: ledger.runtime.keys,
      nikHmacKey: ledger.runtime.secrets.nikHmacKey,
      regions: regions(),
    };
    people = createPeopleGenerator({ seed: 1414, today: todayWib() });
    drivers['in process'] = {
      issue: (programId, month) =>
        inProcess(() => issueInvoice(deps, admin(), programId, { month }, roster())),
      amendPeriod: (programId, period) =>
        inProcess(() =>
          amendProgram(deps, admin(), programId, { type: 'AmendProgramPeriod', period, reason: null }),
        ),
      refund: (invoiceId, lines) =>
        inProcess(() =>
          recordRefund(
            deps,
            admin(),
            invoiceId,
            { lines, reason: 'deregistered', agreedOn: todayWib() },
            roster(),
          ),
        ),
      correctEnd: (enrollmentId, endedOn) =>
        inProcess(() =>
          correctEnrollment(deps, admin(), enrollmentId, {
            endedOn,
            reason: 'correction',
            note: 'Tanggal pindah salah dicatat',
          }),
        ),
    };
    const token = await ledger.token('program_admin', [MUARA_ENIM], 'admin-dues-boundary');
    const send = async (url: string, body: unknown): Promise<Outcome> => {
      const response = await ledger.post(url, token, body);
      // Never a 5xx: a lost race decides again inside the command, or refuses as a rule.
      expect(response.status).toBeLessThan(500);
      return response.status < 300
        ? { ok: true, body: response.body }
        : { ok: false, rule: response.body?.rule as string, body: response.body };
    };
    drivers['over HTTP'] = {
      issue: (programId, month) => send(`/api/programs/${programId}/invoices`, { month }),
      amendPeriod: (programId, period) => send(`/api/programs/${programId}/period`, period),
      refund: (invoiceId, lines) =>
        send(`/api/invoices/${invoiceId}/refunds`, { lines, reason: 'deregistered', agreedOn: todayWib() }),
      correctEnd: (enrollmentId, endedOn) =>
        send(`/api/enrollments/${enrollmentId}/correction`, {
          endedOn,
          reason: 'correction',
          note: 'Tanggal pindah salah dicatat',
        }),
    };
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  /** A program of 2026 with `workers` approved from `coverageFrom`; their enrollment ids. */
  async function programWith(workers: number, coverageFrom = '2026-01-05'): Promise<[string, string[]]> {
    const body = programBody({ name: 'Program Iuran Batas', period: PERIOD });
    const { programId } = await establishProgram(deps, admin(), {
      ...body,
      fundingSource: 'APBD',
      declaredIncome: 1_000_000,
      ageCap: 65,
      eligibleOccupations: null,
      budgetCeiling: null,
    });
    return [programId, await enrol(programId, workers, coverageFrom)];
  }

  async function enrol(programId: string, workers: number, coverageFrom: string): Promise<string[]> {
    if (workers === 0) return [];
    const requests = Array.from({ length: workers }, (_, key) => ({
      key,
      values: people.next({ villageCode: EMBAWANG, maxAge: 50 }),
      problems: [],
    }));
    const proposed = await proposeNominations(deps, admin(), programId, requests);
    const ids = proposed.outcomes.map((o) => (o as { enrollmentId: string }).enrollmentId);
    for (const id of ids) await approveEnrollment(deps, admin(), id, coverageFrom);
    return ids;
  }

  const pay = (invoiceId: string, amount: number, paidOn: string) =>
    recordPayment(deps, admin(), invoiceId, { amount, paidOn, reference: nextReference() });

  describe.each(['in process', 'over HTTP'])('%s', (via) => {
    const driver = () => drivers[via];

    it(`period amendment against an invoice: no roster is frozen under a period that changed (${REPETITIONS}×)`, async () => {
      const wins: Record<string, number> = {};
      await repeat(async (i) => {
        const [programId] = await programWith(0);
        const [issued, amended] = await race(
          store,
          i,
          () => driver().issue(programId, '2026-01'),
          () => driver().amendPeriod(programId, { from: '2026-02-01', to: PERIOD.to }),
        );
        // The amendment checks no invoice: it always goes through.
        expect(amended.ok).toBe(true);
        const amendedAt = await positionOf(store, streams.program(programId), 'ProgramPeriodAmended');
        const issuedAt = await positionOf(store, streams.dues(programId, '2026-01'), 'InvoiceIssued');
        // Issued first, under the period that held; or refused, the month being outside the new one.
        if (issued.ok) expect(issuedAt).toBeLessThan(amendedAt);
        else expect([issued.rule, issuedAt]).toEqual(['invoice.monthOutsidePeriod', Infinity]);
        const key = issued.ok ? 'invoice first' : 'amendment first';
        wins[key] = (wins[key] ?? 0) + 1;
      });
      expect(Object.values(wins).reduce((a, b) => a + b)).toBe(REPETITIONS);
    });

    it(`correction against a refund: no month is refunded on a coverage end corrected before it (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const [programId, [enrollmentId]] = await programWith(1);
        const invoiceId = `${programId}_2026-03`;
        expect((await drivers['in process'].issue(programId, '2026-03')).ok).toBe(true);
        await pay(invoiceId, LINE, '2026-03-10');
        await deregisterEnrollment(deps, admin(), enrollmentId, {
          reason: 'moved_away',
          note: null,
          effectiveDate: '2026-02-20',
        });
        const [corrected, refunded] = await race(
          store,
          i,
          // The move was reported wrong: the coverage ran until 20 March, so it owes March.
          () => driver().correctEnd(enrollmentId, '2026-03-20'),
          () => driver().refund(invoiceId, [0]),
          REPETITIONS,
        );
        expect(corrected).toMatchObject({ ok: true });
        const correctedAt = await positionOf(store, streams.enrollment(enrollmentId), 'EnrollmentCorrected');
        const refundedAt = await positionOf(store, streams.dues(programId, '2026-03'), 'RefundRecorded');
        if (refunded.ok) expect(refundedAt).toBeLessThan(correctedAt);
        else expect([refunded.rule, refundedAt]).toEqual(['refund.lineNotRefundable', Infinity]);
      });
    });
  });

  it('a payment dated inside the grace and recorded after the lapse reinstates the coverage; one dated after it does not', async () => {
    const [programId, ids] = await programWith(3);
    const [always, inTime, late] = [...ids].sort();
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
    for (const month of months) {
      await issueInvoice(deps, admin(), programId, { month }, roster());
      // January paid in full; afterwards only the first line (lines are in enrollment id order).
      await pay(`${programId}_${month}`, month === '2026-01' ? 3 * LINE : LINE, `${month}-10`);
    }
    const sweep = () =>
      sweepLapses(deps, commandContext(SWEEP_ACTOR), { programId, asOf: '2026-05-16' }, roster());
    expect((await sweep()).lapses.map((l) => [l.enrollmentId, l.lastCoveredDay])).toEqual([
      [inTime, '2026-05-15'],
      [late, '2026-05-15'],
    ]);
    // February's arrears of the second line, paid on 10 May (inside February's grace, before the
    // sweep's day) and recorded only now: with it the sweep would not have lapsed that coverage.
    const paid = await pay(`${programId}_2026-02`, LINE, '2026-05-10');
    expect(paid).toMatchObject({ reinstated: [inTime], lapsesStanding: [] });
    // The third line's February, paid on 20 May (after the sweep's day): the lapse stood then.
    const after = await pay(`${programId}_2026-02`, LINE, '2026-05-20');
    expect(after).not.toHaveProperty('reinstated');
    const typesOf = async (id: string) => (await store.readStream(streams.enrollment(id))).map((e) => e.type);
    expect((await typesOf(inTime)).slice(-2)).toEqual(['CoverageLapsed', 'CoverageReinstated']);
    expect((await typesOf(late)).slice(-1)).toEqual(['CoverageLapsed']);
    expect(await typesOf(always)).not.toContain('CoverageLapsed');
    const reinstated = (await store.readStream(streams.enrollment(inTime))).at(-1)!;
    expect(reinstated.data).toMatchObject({
      previous: { coverageFrom: '2026-01-05', endedOn: '2026-05-15' },
      endedOn: null,
      effectiveDate: '2026-05-16',
      lapseDecidedOn: '2026-05-16',
      paidOn: '2026-05-10',
    });
    // Every month the lapse relied on says it was undone, in the payment's write.
    for (const month of ['2026-02', '2026-03', '2026-04', '2026-05']) {
      const types = (await store.readStream(streams.dues(programId, month))).map((e) => e.type);
      expect(types).toContain('LapseReverted');
    }
    // The seat and the NIK claim are held again.
    const seats = await store.readStream(streams.seats(programId));
    expect(seats.at(-1)).toMatchObject({ type: 'SeatsTaken', data: { enrollmentIds: [inTime], inUse: 2 } });
    // A rerun of the sweep for the same day decides nothing new: March to May are only three months.
    const head = await store.headPosition();
    expect((await sweep()).lapses).toEqual([]);
    expect(await store.headPosition()).toBe(head);

    // What the read models show, over HTTP.
    const token = await store.headPosition();
    const viewer = await ledger.token('viewer', [MUARA_ENIM]);
    const coverageOn = async (date: string) => {
      const report = await ledger.get(
        `/api/coverage?region=${MUARA_ENIM}&date=${date}&consistentWith=${token}`,
        viewer,
      );
      expect(report.status).toBe(200);
      return (report.body.byProgram as { programId: string; active: number }[]).find(
        (p) => p.programId === programId,
      )?.active;
    };
    expect([await coverageOn('2026-05-15'), await coverageOn('2026-05-16')]).toEqual([3, 2]);
    const enrollment = await ledger.get(`/api/enrollments/${inTime}?consistentWith=${token}`, viewer);
    expect(enrollment.body).toMatchObject({ status: 'approved', coverage: { from: '2026-01-05' } });
    expect(enrollment.body.endReason ?? null).toBeNull();
    const finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-batas');
    const monthsRead = await ledger.get(
      `/api/finance/programs/${programId}/months?asOf=2026-05-31&consistentWith=${token}`,
      finance,
    );
    expect(monthsRead.status).toBe(200);
    const may = (monthsRead.body.months as { month: string; lapsedWorkers: number }[]).find(
      (m) => m.month === '2026-05',
    );
    expect(may?.lapsedWorkers).toBe(1);
    const auditor = await ledger.token('auditor', ['ID'], 'auditor-batas');
    const audit = await ledger.get(
      `/api/audit?consistentWith=${token}&limit=1000&programId=${programId}`,
      auditor,
    );
    expect(audit.status).toBe(200);
    const actions = (audit.body.entries as { action: string; enrollmentId?: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'enrollment.lapse')).toHaveLength(2);
    expect(actions.filter((a) => a === 'enrollment.reinstate')).toHaveLength(1);
    const participantId = (reinstated.data as { participantId: string }).participantId;
    const adminToken = await ledger.token('program_admin', [MUARA_ENIM], 'admin-dues-boundary');
    const history = await ledger.get(
      `/api/participants/${participantId}/history?consistentWith=${token}`,
      adminToken,
    );
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('CoverageReinstated');
  }, 120_000);

  it(`re-enrolment against a late payment that would reinstate: the NIK is covered once (${REPETITIONS}×)`, async () => {
    const wins: Record<string, number> = {};
    await repeat(async (i) => {
      const [programId] = await programWith(0);
      const person = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const proposed = await proposeNominations(deps, admin(), programId, [
        { key: 1, values: person, problems: [] },
      ]);
      const enrollmentId = (proposed.outcomes[0] as { enrollmentId: string }).enrollmentId;
      await approveEnrollment(deps, admin(), enrollmentId, '2026-01-05');
      for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']) {
        await issueInvoice(deps, admin(), programId, { month }, roster());
      }
      await pay(`${programId}_2026-01`, LINE, '2026-01-10');
      const swept = await sweepLapses(
        deps,
        commandContext(SWEEP_ACTOR),
        { programId, asOf: '2026-05-16' },
        roster(),
      );
      expect(swept.lapses).toHaveLength(1);
      const [paid, again] = await race(
        store,
        i,
        () => pay(`${programId}_2026-02`, LINE, '2026-05-10'),
        () =>
          proposeNominations(deps, admin(), programId, [{ key: 1, values: person, problems: [] }]).then(
            (r) => r.outcomes[0],
          ),
      );
      const reinstated = (paid as { reinstated?: string[] }).reinstated ?? [];
      if (again.status === 'accepted') {
        // Proposed first: the NIK is claimed by the new enrolment, the lapse stands, flagged.
        expect(reinstated).toEqual([]);
        expect(paid).toMatchObject({ lapsesStanding: [{ enrollmentId, rule: 'lapse.coveredAgain' }] });
      } else {
        expect(reinstated).toEqual([enrollmentId]);
        expect(again.reasons[0].rule).toBe('participant.alreadyCovered');
      }
      const key = again.status === 'accepted' ? 'enrolment first' : 'payment first';
      wins[key] = (wins[key] ?? 0) + 1;
    });
    expect(Object.values(wins).reduce((a, b) => a + b)).toBe(REPETITIONS);
  }, 300_000);

  it('a coverage approved after the rosters of its unpaid months were frozen lapses like one on them', async () => {
    const [programId, [onRoster]] = await programWith(1);
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
    for (const month of months) {
      await issueInvoice(deps, admin(), programId, { month }, roster());
      await pay(`${programId}_${month}`, LINE, `${month}-10`);
    }
    // Approved from January once every roster was frozen, and never added by an adjustment.
    const [late] = await enrol(programId, 1, '2026-01-05');
    const swept = await sweepLapses(
      deps,
      commandContext(SWEEP_ACTOR),
      { programId, asOf: '2026-05-16' },
      roster(),
    );
    // January to April unpaid: the coverage ends with January's grace, on April's due date.
    expect(swept.lapses).toEqual([
      {
        enrollmentId: late,
        lastCoveredDay: '2026-04-15',
        unpaidMonths: ['2026-01', '2026-02', '2026-03', '2026-04'],
      },
    ]);
    const events = await store.readStream(streams.enrollment(late));
    expect(events.map((e) => e.type)).toContain('CoverageLapsed');
    const paid = await store.readStream(streams.enrollment(onRoster));
    expect(paid.map((e) => e.type)).not.toContain('CoverageLapsed');
    // A rerun for the same day appends nothing.
    const head = await store.headPosition();
    const again = await sweepLapses(
      deps,
      commandContext(SWEEP_ACTOR),
      { programId, asOf: '2026-05-16' },
      roster(),
    );
    expect(again.lapses).toEqual([]);
    expect(await store.headPosition()).toBe(head);
  });
}

describe('SQLite e2e: money decisions inside the program boundary', () => boundarySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: money decisions inside the program boundary',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => boundarySuite('postgres'),
);
