import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { commandContext } from '@ledger/ledger/shared/command.deps';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { runtimeRosterSource } from '@ledger/runtime/commands';
import { ledgerProjections } from '@ledger/read-models/projections';
import { finished, spawnTs } from '../../../../test/support/processes';
import { defaults, depsOf } from '../seed/seed-ledger';

const EMBAWANG = '1603012011';

/** `npm run cli -- contributions sweep …` in a process of its own on the data folder. */
async function sweep(args: string[], dataDir: string) {
  const env = { LEDGER_DATA_DIR: dataDir, LEDGER_STORE: undefined };
  return finished(spawnTs('apps/cli/src/main.ts', env, ['contributions', 'sweep', ...args]), 50_000);
}

describe('cli contributions sweep', () => {
  let dir: string;
  let programId: string;
  let paidId: string;
  let unpaidId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sweep-'));
    const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      projections: ledgerProjections(),
    });
    try {
      runtime.runner.start();
      const deps = depsOf(runtime);
      const admin = () => commandContext({ id: 'admin-sweep', role: 'program_admin', region: '1603' });
      ({ programId } = await establishProgram(deps, admin(), {
        ...defaults,
        name: 'Program Sapuan',
        ownerRegion: '1603',
        payer: 'Pemerintah Kabupaten Muara Enim',
        period: { from: '2026-01-01', to: '2026-12-31' },
        quota: 10,
        backfillToleranceDays: 730,
      }));
      const people = createPeopleGenerator({ seed: 77, today: todayInIndonesia(new Date()) });
      const { outcomes } = await proposeNominations(
        deps,
        admin(),
        programId,
        [1, 2].map((key) => ({
          key,
          values: people.next({ villageCode: EMBAWANG, maxAge: 50 }),
          problems: [],
        })),
      );
      const ids = outcomes.map((o) => (o as { enrollmentId: string }).enrollmentId).sort();
      for (const id of ids) await approveEnrollment(deps, admin(), id, '2026-01-05');
      [paidId, unpaidId] = ids;
      // January only is invoiced; the first line is paid every month it is invoiced.
      await issueInvoice(deps, admin(), programId, { month: '2026-01' }, runtimeRosterSource(runtime));
      await recordPayment(deps, admin(), `${programId}_2026-01`, {
        amount: 2 * 16_800,
        paidOn: '2026-01-10',
        reference: 'VA-SWEEP-1',
      });
    } finally {
      await runtime.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('issues the missing past-due invoices, prints the lapses per program; a rerun prints none', async () => {
    const run = await sweep(['--as-of', '2026-05-16'], dir);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('sweep of 2026-05-16: 1 program(s)');
    expect(run.stdout).toContain(
      `program ${programId}: 2 lapse(s), invoices issued first: 2026-02, 2026-03, 2026-04, 2026-05`,
    );
    for (const id of [paidId, unpaidId])
      expect(run.stdout).toContain(
        `  ${id}  covered until 2026-05-15  unpaid 2026-02, 2026-03, 2026-04, 2026-05`,
      );
    const again = await sweep(['--as-of', '2026-05-16', '--program', programId, '--json'], dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([{ programId, asOf: '2026-05-16', issued: [], lapses: [] }]);
  }, 120_000);

  it.each([
    [[], '--as-of is required'],
    [['--as-of', '16-05-2026'], '--as-of must be a calendar date YYYY-MM-DD, got "16-05-2026"'],
    [['--as-of', '2026-05-16', '--program', 'muara'], '--program must be a program id (UUID), got "muara"'],
    [['--as-of', '2026-05-16', '--program', '0197b000-0000-7000-8000-0000000000ff'], 'program.notFound'],
  ])(
    '%j is refused with a message and a non-zero exit',
    async (args, message) => {
      const run = await sweep(args as string[], dir);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    },
    60_000,
  );
});
