/**
 * Two of a claim's eligibility rules over HTTP, once on SQLite and once on PostgreSQL.
 * The JKK reporting window is the program's own term: an accident reported 20 days after it
 * is in time for a program with the default 30 days and late for one of 14. And a payment
 * racing a claim's filing is serialised with it: a claim committed after the month's payment
 * never says `contribution_unpaid`, one committed before it always does (the race is driven
 * through the handlers, half of the attempts with the payment let in between the claim's read
 * of the month and its write).
 */
import type { EventStore } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { fileClaim } from '@ledger/ledger/claims/file/file-claim.handler';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { addMonths, monthOf } from '@ledger/ledger/contributions/obligation';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { addDays } from '@ledger/ledger/shared/dates';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, currentPeriod, programBody, proposal } from './support/ledger-fixtures';

const LINE = 16_800;
/** Attempts of the race: each on its own month's invoice and its own worker. */
const ATTEMPTS = 20;

/** Work started later by whoever holds `run`; `done` settles with it. */
function deferred<T>(work: () => Promise<T>) {
  let start!: () => void;
  const started = new Promise<void>((resolve) => (start = resolve));
  const done = started.then(work);
  return {
    done,
    run: async () => {
      start();
      await done.catch(() => undefined);
    },
  };
}

/**
 * The real store, except that the first read of `streamId` lets `meanwhile` run to its end
 * before it answers: whatever the reader decides, it decides on a stream that has moved on.
 */
function pausingAfterRead(store: EventStore, streamId: string, meanwhile: () => Promise<void>): EventStore {
  let paused = false;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'readStream') {
        return async (...args: Parameters<EventStore['readStream']>) => {
          const events = await target.readStream(...args);
          if (args[0] === streamId && !paused) {
            paused = true;
            await meanwhile();
          }
          return events;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function claimRulesSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  const today = todayWib();
  // Far enough back that every raced month's grace is over (due the 15th, three months' grace).
  const period = { from: `${addMonths(monthOf(today), -(ATTEMPTS + 6))}-01`, to: currentPeriod().to };
  const people = createPeopleGenerator({ seed: 1515, today: period.from });

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    auditor = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  async function establish(name: string, extra: Record<string, unknown> = {}) {
    const program = await ledger.post('/api/programs', admin, {
      ...programBody({ name, period, backfillToleranceDays: 3660 }),
      ...extra,
    });
    expect(program.status).toBe(201);
    return program.body.programId as string;
  }
  async function enrol(programId: string) {
    const proposed = await ledger.post(
      `/api/programs/${programId}/enrollments`,
      admin,
      proposal(people.next({ villageCode: EMBAWANG, maxAge: 50 })),
    );
    expect(proposed.status).toBe(201);
    const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
      coverageFrom: period.from,
    });
    expect(approved.status).toBe(200);
    return proposed.body as { participantId: string; enrollmentId: string };
  }
  const accident = (
    who: { participantId: string; enrollmentId: string },
    eventDate: string,
    reportedOn: string,
  ) =>
    ledger.post(`/api/participants/${who.participantId}/claims`, admin, {
      enrollmentId: who.enrollmentId,
      kind: 'JKK',
      benefit: 'medical',
      eventDate,
      reportedOn,
      heirs: [],
    });

  it('the JKK reporting window is a term of the program: a shorter one flags what the default accepts', async () => {
    const lenient = await establish('Klaim JKK jendela bawaan');
    const strict = await establish('Klaim JKK jendela 14 hari', { jkkReportingWindowDays: 14 });
    const refused = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Jendela nol' }),
      jkkReportingWindowDays: 0,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'jkkReportingWindowDays' })]),
    );
    const shown = async (programId: string, token: number) =>
      (await ledger.get(`/api/programs/${programId}?consistentWith=${token}`, admin)).body
        .jkkReportingWindowDays as number;
    const head = await ledger.runtime.store.headPosition();
    expect([await shown(lenient, head), await shown(strict, head)]).toEqual([30, 14]);

    const eventDate = addDays(today, -20);
    const inTime = await accident(await enrol(lenient), eventDate, today);
    const late = await accident(await enrol(strict), eventDate, today);
    expect(inTime.body).toMatchObject({ eligible: true, reasons: [] });
    expect(late.body).toMatchObject({ eligible: false, reasons: ['reported_late'] });

    // Amended like the other terms: the next claim is judged by the new window.
    const amended = await ledger.post(`/api/programs/${strict}/jkk-reporting-window`, admin, {
      jkkReportingWindowDays: 21,
      reason: 'Perbup perubahan',
    });
    expect(amended.status).toBe(201);
    expect(await shown(strict, amended.body.consistencyToken)).toBe(21);
    const bad = await ledger.post(`/api/programs/${strict}/jkk-reporting-window`, admin, {
      jkkReportingWindowDays: 'lama',
    });
    expect(bad.status).toBe(400);
    const afterAmendment = await accident(await enrol(strict), eventDate, today);
    expect(afterAmendment.body).toMatchObject({ eligible: true, reasons: [] });

    const audit = await ledger.get(
      `/api/audit?consistentWith=${amended.body.consistencyToken}&program=${strict}&limit=100`,
      auditor,
    );
    expect(audit.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'program.amend_jkk_reporting_window', reason: 'Perbup perubahan' }),
      ]),
    );
  }, 120_000);

  it(`a payment racing a claim's filing is serialised with it (${ATTEMPTS} attempts)`, async () => {
    const programId = await establish('Klaim balapan pembayaran');
    const workers = [];
    for (let i = 0; i < ATTEMPTS; i++) workers.push(await enrol(programId));
    const deps: LedgerDeps = {
      store: ledger.runtime.store,
      keys: ledger.runtime.keys,
      nikHmacKey: ledger.runtime.secrets.nikHmacKey,
      regions: regions(),
    };
    const officer = () =>
      commandContext({ id: 'admin-muara-enim', role: 'program_admin', region: MUARA_ENIM });
    const wrong: unknown[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      const month = addMonths(monthOf(today), -(ATTEMPTS + 4) + i);
      const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
      expect(issued.status).toBe(201);
      expect(issued.body.lineCount).toBe(ATTEMPTS);
      const pay = () =>
        recordPayment(deps, officer(), issued.body.invoiceId, {
          amount: ATTEMPTS * LINE,
          paidOn: today,
          reference: `TRF-RACE-${mode}-${i}`,
        });
      // Odd attempts: the payment is recorded right after the claim read the month, before the
      // claim is written (the interleaving that lost the payment). Even ones: both at once.
      const payment = i % 2 === 1 ? deferred(pay) : null;
      const claimDeps = payment
        ? { ...deps, store: pausingAfterRead(deps.store, streams.dues(programId, month), payment.run) }
        : deps;
      const eventDate = `${month}-10`;
      const [claim, paid] = await Promise.all([
        fileClaim(claimDeps, officer(), workers[i].participantId, {
          enrollmentId: workers[i].enrollmentId,
          kind: 'JKK',
          benefit: 'medical',
          eventDate,
          reportedOn: addDays(eventDate, 1),
          heirs: [],
          documents: [],
        }),
        payment ? payment.done : pay(),
      ]);
      // What the claim says of the month is what the log held when the claim was written.
      const unpaid = claim.reasons.includes('contribution_unpaid');
      if (unpaid !== claim.consistencyToken < paid.consistencyToken)
        wrong.push({ month, unpaid, claimAt: claim.consistencyToken, paidAt: paid.consistencyToken });
    }
    expect(wrong).toEqual([]);
  }, 300_000);
}

describe('SQLite e2e: claim rules', () => claimRulesSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: claim rules',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => claimRulesSuite('postgres'),
);
