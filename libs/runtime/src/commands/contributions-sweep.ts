import type { Actor } from '@ledger/event-store';
import type { RosterSource } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import {
  sweepLapses,
  type SweepResult,
} from '@ledger/ledger/contributions/sweep-lapses/sweep-lapses.handler';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { todayInIndonesia, type IsoDate } from '@ledger/ledger/shared/dates';
import { rosterOf } from '@ledger/read-models/contributions/roster.query';
import { programRows } from '@ledger/read-models/programs/programs.query';
import type { RunnerLogger } from '@ledger/read-models';
import type { LedgerRuntime } from '../runtime';

/** Who the sweep and the invoices it issues first are recorded as. */
export const SWEEP_ACTOR: Actor = { id: 'system:contributions-sweep', role: 'system', region: 'ID' };

/**
 * The roster an invoice the sweep issues freezes: the enrollments read model once it has
 * applied the whole log as it stood when asked (the position the invoice records).
 */
export function runtimeRosterSource(
  runtime: Pick<LedgerRuntime, 'store' | 'read' | 'runner' | 'config'>,
): RosterSource {
  return async (question) => {
    const head = await runtime.store.headPosition();
    const reached = await runtime.runner.waitFor(['enrollments'], head, runtime.config.consistencyTimeoutMs);
    if (!reached) {
      throw new Error(
        `the enrollments read model did not reach the log's head (${head}) within ${runtime.config.consistencyTimeoutMs} ms`,
      );
    }
    return { enrollmentIds: await rosterOf(runtime.read.query, question), position: head };
  };
}

/**
 * Sweeps the lapses of one program or of every program on `asOf`, as the system: the missing
 * invoices of past-due months are issued first (frozen from the read model), then each
 * program's lapses are decided in one write. Programs are swept one after another; the
 * answer lists each one's lapses. `stopping` is asked before each program: a process that is
 * shutting down ends the sweep between two programs (each is whole, the rest is swept on the
 * next run), never waits for all of them.
 */
export async function sweepPrograms(
  runtime: Pick<LedgerRuntime, 'store' | 'read' | 'runner' | 'config'>,
  deps: LedgerDeps,
  options: { asOf: IsoDate; programId?: string; stopping?: () => boolean },
): Promise<SweepResult[]> {
  const roster = runtimeRosterSource(runtime);
  const ctx = () => commandContext(SWEEP_ACTOR);
  const ids = options.programId
    ? [options.programId]
    : (await programRows(runtime.read.query)).map((row) => row.id);
  const results: SweepResult[] = [];
  for (const programId of ids) {
    if (options.stopping?.()) break;
    results.push(
      await sweepLapses(deps, ctx(), { programId, asOf: options.asOf }, roster, (id, month) =>
        issueInvoice(deps, ctx(), id, { month }, roster),
      ),
    );
  }
  return results;
}

/** How often the daily sweep looks at the clock (it sweeps once per WIB day). */
const DEFAULT_CHECK_MS = 10 * 60_000;

/**
 * The daily sweep of the projector: looks at the clock every `checkMs` and, once per calendar
 * day in WIB, sweeps every program for that day. The clock is injected, so a test moves it
 * instead of waiting a day. Several projectors may sweep the same day: a rerun for the same
 * date appends nothing, and racing ones conflict and decide again.
 */
export class DailySweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastDay: IsoDate | null = null;
  private stopped = false;

  constructor(
    private readonly sweep: (asOf: IsoDate, stopping: () => boolean) => Promise<SweepResult[]>,
    private readonly options: { clock?: () => Date; checkMs?: number; logger?: RunnerLogger } = {},
  ) {}

  /** The day last swept in full, if any. */
  get sweptDay(): IsoDate | null {
    return this.lastDay;
  }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.checkMs ?? DEFAULT_CHECK_MS);
    this.timer.unref();
  }

  /** Sweeps for today (WIB) unless today was swept already; one run at a time. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    const today = todayInIndonesia((this.options.clock ?? (() => new Date()))());
    if (today === this.lastDay) return Promise.resolve();
    this.running = (async () => {
      try {
        const results = await this.sweep(today, () => this.stopped);
        // A sweep cut short by stop() leaves the day unswept: the next start sweeps it again.
        if (!this.stopped) this.lastDay = today;
        this.options.logger?.info('contributions swept', {
          asOf: today,
          programs: results.length,
          lapses: results.reduce((n, r) => n + r.lapses.length, 0),
        });
      } catch (error) {
        // Tried again at the next tick: the day stays unswept.
        this.options.logger?.error('contributions sweep failed', { asOf: today, error: String(error) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Ends the sweep in flight after the program it is deciding, then resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
