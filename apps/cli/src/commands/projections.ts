import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { CliError, table } from '../cli-error';
import { elapsedProgress } from '../progress';

/** `projections status`, `projections catch-up`, or `projections rebuild <name|all>`. */
export type ProjectionsAction = { action: 'status' | 'catch-up' } | { action: 'rebuild'; name: string };

export async function projectionsCommand(command: ProjectionsAction): Promise<void> {
  const { action } = command;
  // A rebuild is the repair of read models that do not match the log, so it cannot insist they do.
  const runtime = await openRuntime(loadConfig(), {
    projections: ledgerProjections(),
    verify: action !== 'rebuild',
  });
  try {
    const { runner } = runtime;
    if (command.action === 'rebuild') {
      const { name } = command;
      const names = name === 'all' ? runner.projections.map((p) => p.name) : [name];
      for (const n of names) {
        if (!runner.projections.some((p) => p.name === n)) {
          throw new CliError(
            `unknown projection "${n}"; known: ${runner.projections.map((p) => p.name).join(', ')}`,
          );
        }
      }
      // All of them in one pass over the log.
      process.stderr.write(
        `rebuilding ${names.join(', ')} from the log up to position ${await runtime.store.headPosition()}\n`,
      );
      const started = performance.now();
      const ticking = elapsedProgress('rebuilding');
      const result = await runner.rebuildMany(names).finally(() => ticking.stop());
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(result.events / Math.max(seconds, 1e-6));
      process.stdout.write(
        `rebuilt ${names.join(', ')}: ${result.events} events in ${seconds.toFixed(2)} s (${rate} events/s` +
          `${result.threads === 2 ? ', on 2 threads' : ''})\n`,
      );
      return;
    }
    if (action === 'catch-up') await runner.catchUp();
    const status = await runner.status();
    process.stdout.write(
      `${table(
        status.map((s) => ({
          projection: s.name,
          version: s.version,
          generation: s.generation,
          position: s.position,
          head: s.head,
          lag: s.lag,
          'caught up': s.caughtUp ? 'yes' : 'no',
        })),
      )}\n`,
    );
  } finally {
    await runtime.close();
  }
}
