/**
 * Lapse end to end, on SQLite and PostgreSQL: a program of 2026 with three workers whose lines
 * are paid month by month (the invoice's line order decides who is paid: whole lines first).
 * The one never paid after January lapses on the day after February's grace (the due date of
 * May) and leaves the coverage figures from that day; the one whose February arrears are paid
 * within the grace does not, until four other months stay unpaid. A rerun appends nothing;
 * a payment racing the sweep, and two sweeps at once, end as one of the serial orders would.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { EventStore } from '@ledger/event-store';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import { sweepLapses } from '@ledger/ledger/contributions/sweep-lapses/sweep-lapses.handler';
import { loadDues } from '@ledger/ledger/contributions/dues.load';
import { currentInvoice } from '@ledger/ledger/contributions/dues.state';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { loadEnrollment } from '@ledger/ledger/enrollment/enrollment.load';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import {
  createPeopleGenerator,
  type PeopleGenerator,
  type SyntheticPerson,
} from '@ledger/ledger/participants/synthetic-people';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { DailySweep, runtimeRosterSource, sweepPrograms, SWEEP_ACTOR } from '@ledger/runtime/commands';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody } from './support/ledger-fixtures';

const LINE = 16_800;
const PERIOD = { from: '2026-01-01', to: '2026-12-31' };
const REPETITIONS = 20;
const admin = () => commandContext({ id: 'admin-lapse', role: 'program_admin', region: MUARA_ENIM });
const system = () => commandContext(SWEEP_ACTOR);
let references = 0;
/** Unique in the ledger, and no NIK-shaped number (a UUID's digits may run to sixteen). */
const nextReference = () => `VA-LAPSE-${++references}`;

function lapseSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let store: EventStore;
  let deps: LedgerDeps;
  let people: PeopleGenerator;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    store = ledger.runtime.store;
    deps = {
      store,
      keys: ledger.runtime.keys,
      nikHmacKey: ledger.runtime.secrets.nikHmacKey,
      regions: regions(),
    };
    people = createPeopleGenerator({ seed: 1313, today: todayWib() });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const roster = () => runtimeRosterSource(ledger.runtime);

  /** A program of 2026 and `workers` approved from 5 January; their enrollment ids in line order. */
  async function programWith(
    workers: number,
  ): Promise<{ programId: string; lines: string[]; personOf: Map<string, SyntheticPerson> }> {
    const body = programBody({ name: 'Program Iuran 2026', period: PERIOD });
    const { programId } = await establishProgram(deps, admin(), {
      ...body,
      fundingSource: 'APBD',
      declaredIncome: 1_000_000,
      ageCap: 65,
      eligibleOccupations: null,
      budgetCeiling: null,
    });
    const requests = Array.from({ length: workers }, (_, key) => ({
      key,
      values: people.next({ villageCode: EMBAWANG, maxAge: 50 }),
      problems: [],
    }));
    const proposed = await proposeNominations(deps, admin(), programId, requests);
    for (const outcome of proposed.outcomes) {
      expect(outcome.status).toBe('accepted');
      await approveEnrollment(
        deps,
        admin(),
        (outcome as { enrollmentId: string }).enrollmentId,
        '2026-01-05',
      );
    }
    const ids = proposed.outcomes.map((o) => (o as { enrollmentId: string }).enrollmentId);
    const personOf = new Map(ids.map((id, i) => [id, requests[i].values]));
    return { programId, lines: [...ids].sort(), personOf };
  }

  const issue = (programId: string, month: string) =>
    issueInvoice(deps, admin(), programId, { month }, roster());
  const pay = (programId: string, month: string, lines: number, paidOn: string) =>
    recordPayment(deps, admin(), `${programId}_${month}`, {
      amount: lines * LINE,
      paidOn,
      reference: nextReference(),
    });
  const lapsesOf = async (enrollmentIds: string[]) => {
    const out: Record<string, string | null> = {};
    for (const id of enrollmentIds) {
      const events = await store.readStream(streams.enrollment(id));
      const lapse = events.find((e) => e.type === 'CoverageLapsed');
      out[id] = lapse ? (lapse.data as { effectiveDate: string }).effectiveDate : null;
    }
    return out;
  };

  it('never paid after January: lapses on 16 May (covered until 15 May); arrears paid in time prevent it', async () => {
    const { programId, lines, personOf } = await programWith(3);
    const [always, arrears, never] = lines;
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04']) await issue(programId, month);
    // The roster is the lines' order: enrollment ids, which grow with the proposal.
    const january = currentInvoice((await loadDues(deps, programId, '2026-01')).state)!;
    expect(january.lines).toEqual(lines);
    await pay(programId, '2026-01', 3, '2026-01-10');
    await pay(programId, '2026-02', 1, '2026-02-10');
    // February's arrears of the second line, paid within its grace (until 15 May).
    await pay(programId, '2026-02', 1, '2026-05-10');
    await pay(programId, '2026-03', 1, '2026-03-10');
    await pay(programId, '2026-04', 1, '2026-04-10');

    // On the last day of February's grace nothing lapses; May is not past due yet either.
    const onGraceEnd = await sweepLapses(deps, system(), { programId, asOf: '2026-05-15' }, roster(), (id, m) =>
      issue(id, m),
    );
    expect({ issued: onGraceEnd.issued, lapses: onGraceEnd.lapses }).toEqual({ issued: [], lapses: [] });

    // The day after: May is past due, issued first, and the never-paid worker lapses.
    const [swept] = await sweepPrograms(ledger.runtime, deps, { asOf: '2026-05-16', programId });
    expect(swept.issued).toEqual(['2026-05']);
    expect(swept.lapses).toEqual([
      {
        enrollmentId: never,
        lastCoveredDay: '2026-05-15',
        unpaidMonths: ['2026-02', '2026-03', '2026-04', '2026-05'],
      },
    ]);
    expect(await lapsesOf(lines)).toEqual({ [always]: null, [arrears]: null, [never]: '2026-05-15' });
    // Every month it relied on says so, with the line it relied on.
    for (const month of ['2026-02', '2026-03', '2026-04', '2026-05']) {
      const dues = currentInvoice((await loadDues(deps, programId, month)).state)!;
      expect(dues.lapses).toEqual([{ lines: [2], asOf: '2026-05-16' }]);
    }
    const state = (await loadEnrollment(deps, never)).state;
    expect({ status: state.status, endedOn: state.endedOn }).toEqual({
      status: 'deregistered',
      endedOn: '2026-05-15',
    });

    // The lapsed worker may be enrolled again, with coverage after the lapsed one's last day.
    const again1 = await proposeNominations(deps, admin(), programId, [
      { key: 1, values: personOf.get(never)!, problems: [] },
    ]);
    expect(again1.outcomes[0].status).toBe('accepted');
    const renewed = (again1.outcomes[0] as { enrollmentId: string }).enrollmentId;
    await expect(approveEnrollment(deps, admin(), renewed, '2026-05-15')).rejects.toMatchObject({
      rule: 'nik.coverageOverlap',
    });
    await approveEnrollment(deps, admin(), renewed, '2026-05-16');

    // A rerun for the same day appends nothing.
    const head = await store.headPosition();
    const again = await sweepPrograms(ledger.runtime, deps, { asOf: '2026-05-16', programId });
    expect(again[0].lapses).toEqual([]);
    expect(await store.headPosition()).toBe(head);

    // June: the arrears payer leaves March to June unpaid and lapses after March's grace (15 June).
    await pay(programId, '2026-05', 1, '2026-05-10');
    await issue(programId, '2026-06');
    const june = currentInvoice((await loadDues(deps, programId, '2026-06')).state)!;
    expect(june.lines).toEqual([always, arrears, renewed]);
    await pay(programId, '2026-06', 1, '2026-06-10');
    expect((await sweepLapses(deps, system(), { programId, asOf: '2026-06-15' }, roster())).lapses).toEqual([]);
    expect((await sweepLapses(deps, system(), { programId, asOf: '2026-06-16' }, roster())).lapses).toEqual([
      {
        enrollmentId: arrears,
        lastCoveredDay: '2026-06-15',
        unpaidMonths: ['2026-03', '2026-04', '2026-05', '2026-06'],
      },
    ]);

    // The coverage figures over HTTP: three until 15 May, two from 16 May, one from 16 June.
    await ledger.runtime.runner.catchUp();
    const viewer = await ledger.token('viewer', [MUARA_ENIM]);
    const activeOn = async (date: string) => {
      const response = await ledger.get(
        `/api/programs/${programId}/summary?date=${date}&consistentWith=${await store.headPosition()}`,
        viewer,
      );
      expect(response.status).toBe(200);
      return [response.body.active, response.body.deregistrationsByReason];
    };
    // The re-enrolled worker counts again from 16 May.
    expect(await activeOn('2026-05-15')).toEqual([3, {}]);
    expect(await activeOn('2026-05-16')).toEqual([3, { lapsed: 1 }]);
    expect(await activeOn('2026-06-16')).toEqual([2, { lapsed: 2 }]);
  }, 120_000);

  it('over HTTP: invoices and payments posted, the sweep run, coverage and the summary read from that day', async () => {
    const { programId, lines } = await programWith(3);
    const [, , never] = lines;
    const finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-lapse');
    const payer = await ledger.token('program_admin', [MUARA_ENIM], 'admin-lapse-http');
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04']) {
      const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
      expect(issued.status).toBe(201);
    }
    const payHttp = async (month: string, count: number, paidOn: string) => {
      const paid = await ledger.post(`/api/invoices/${programId}_${month}/payments`, payer, {
        amount: count * LINE,
        paidOn,
        reference: nextReference(),
      });
      expect(paid.status).toBe(201);
    };
    await payHttp('2026-01', 3, '2026-01-10');
    await payHttp('2026-02', 1, '2026-02-10');
    await payHttp('2026-02', 1, '2026-05-14'); // the second line's arrears, within the grace
    await payHttp('2026-03', 1, '2026-03-10');
    await payHttp('2026-04', 1, '2026-04-10');

    const [swept] = await sweepPrograms(ledger.runtime, deps, { asOf: '2026-05-16', programId });
    expect(swept.lapses.map((l) => [l.enrollmentId, l.lastCoveredDay])).toEqual([[never, '2026-05-15']]);

    const viewer = await ledger.token('viewer', [MUARA_ENIM]);
    const token = await store.headPosition();
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
    const enrollment = await ledger.get(`/api/enrollments/${never}?consistentWith=${token}`, viewer);
    expect(enrollment.status).toBe(200);
    expect(enrollment.body).toMatchObject({
      status: 'deregistered',
      coverage: { from: '2026-01-05', to: '2026-05-15' },
      endReason: 'lapsed',
    });
    const invoice = await ledger.get(`/api/invoices/${programId}_2026-05`, finance);
    expect(invoice.status).toBe(200);
  }, 120_000);

  /** A worker unpaid February to May (invoices issued, January paid), ready to lapse on 16 May. */
  async function unpaidWorker() {
    const { programId, lines } = await programWith(1);
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'])
      await issue(programId, month);
    await pay(programId, '2026-01', 1, '2026-01-10');
    return { programId, enrollmentId: lines[0] };
  }
  const sweep = (programId: string) => sweepLapses(deps, system(), { programId, asOf: '2026-05-16' }, roster());
  const payFebruary = (programId: string) => pay(programId, '2026-02', 1, '2026-05-14');

  it('a payment before the sweep prevents the lapse; after it, the lapse stands and the payment is recorded', async () => {
    const first = await unpaidWorker();
    await payFebruary(first.programId);
    expect((await sweep(first.programId)).lapses).toEqual([]);

    const second = await unpaidWorker();
    expect((await sweep(second.programId)).lapses.map((l) => l.enrollmentId)).toEqual([second.enrollmentId]);
    await payFebruary(second.programId);
    const february = currentInvoice((await loadDues(deps, second.programId, '2026-02')).state)!;
    expect(february.paid).toBe(LINE);
  }, 120_000);

  it(`a payment racing the sweep ends as one serial order would (${REPETITIONS}×)`, async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < REPETITIONS; i++) {
      const { programId, enrollmentId } = await unpaidWorker();
      const [swept] = await Promise.all([sweep(programId), payFebruary(programId)]);
      const events = await store.readStream(streams.dues(programId, '2026-02'));
      const paidAt = events.find((e) => e.type === 'PaymentRecorded')!.position;
      const decidedAt = events.find((e) => e.type === 'LapseDecided')?.position;
      const lapsed = (await lapsesOf([enrollmentId]))[enrollmentId] !== null;
      // Lapsed only when the sweep's write came first; otherwise the payment counted.
      expect({ lapsed, reported: swept.lapses.length === 1 }).toEqual({ lapsed, reported: lapsed });
      if (lapsed) expect(decidedAt!).toBeLessThan(paidAt);
      else expect(decidedAt).toBeUndefined();
      const key = lapsed ? 'sweep first' : 'payment first';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    expect(Object.values(outcomes).reduce((a, b) => a + b)).toBe(REPETITIONS);
  }, 300_000);

  it(`two sweeps at once lapse the coverage once (${REPETITIONS}×)`, async () => {
    for (let i = 0; i < REPETITIONS; i++) {
      const { programId, enrollmentId } = await unpaidWorker();
      const results = await Promise.all([sweep(programId), sweep(programId)]);
      expect(results.flatMap((r) => r.lapses).length).toBe(1);
      const events = await store.readStream(streams.enrollment(enrollmentId));
      expect(events.filter((e) => e.type === 'CoverageLapsed').length).toBe(1);
      const seats = await store.readStream(streams.seats(programId));
      expect(seats.filter((e) => e.type === 'SeatsReleased').length).toBe(1);
    }
  }, 300_000);

  it('the daily sweep runs once a day for today in WIB, on the clock it is given', async () => {
    const days: string[] = [];
    let now = new Date('2026-05-15T16:59:00Z'); // 23:59 WIB on 15 May
    const daily = new DailySweep(
      async (asOf) => {
        days.push(asOf);
        return [];
      },
      { clock: () => now, checkMs: 60_000 },
    );
    await daily.tick();
    await daily.tick();
    now = new Date('2026-05-15T17:00:00Z'); // 00:00 WIB on 16 May
    await daily.tick();
    await daily.tick();
    expect(days).toEqual(['2026-05-15', '2026-05-16']);
    expect(daily.sweptDay).toBe('2026-05-16');

    // A failed day is tried again at the next tick.
    let fail = true;
    const retried: string[] = [];
    const flaky = new DailySweep(
      async (asOf) => {
        retried.push(asOf);
        if (fail) throw new Error('store down');
        return [];
      },
      { clock: () => now },
    );
    await flaky.tick();
    fail = false;
    await flaky.tick();
    await flaky.tick();
    expect(retried).toEqual(['2026-05-16', '2026-05-16']);
    await daily.stop();
    await flaky.stop();
  });
}

describe('SQLite: lapse', () => lapseSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL: lapse',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => lapseSuite('postgres'),
);
