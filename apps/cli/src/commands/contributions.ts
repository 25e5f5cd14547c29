import { isIsoDate } from '@ledger/ledger/shared/dates';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { loadConfig } from '@ledger/platform/config';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime } from '@ledger/runtime';
import { ledgerDeps, sweepPrograms } from '@ledger/runtime/commands';
import { CliError, seeHelp } from '../cli-error';

const HELP = seeHelp('contributions sweep');

interface SweepOptions {
  asOf?: string;
  program?: string;
  json?: boolean;
}

/**
 * `contributions sweep --as-of DATE [--program ID]`: decides the lapses of every program (or
 * one) on that day, as the projector's daily sweep does, and prints them per program. The
 * read models are caught up first, so the invoices it issues freeze every coverage recorded.
 */
export async function contributionsSweepCommand(options: SweepOptions): Promise<void> {
  const { asOf, program } = options;
  if (asOf === undefined) throw new CliError(`--as-of is required (a day YYYY-MM-DD); ${HELP}`);
  if (!isIsoDate(asOf))
    throw new CliError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOf}"; ${HELP}`);
  if (program !== undefined && !/^[0-9a-f-]{36}$/i.test(program))
    throw new CliError(`--program must be a program id (UUID), got "${program}"; ${HELP}`);
  const config = loadConfig();
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store) });
  try {
    await runtime.runner.catchUp();
    const results = await sweepPrograms(runtime, ledgerDeps(runtime), {
      asOf,
      ...(program ? { programId: program.toLowerCase() } : {}),
    }).catch((error: unknown) => {
      if (error instanceof RuleViolation) throw new CliError(`${error.rule}: ${error.message}`);
      throw error;
    });
    await runtime.runner.catchUp();
    if (options.json) {
      const shown = results.map(({ programId, asOf, issued, lapses }) => ({
        programId,
        asOf,
        issued,
        lapses,
      }));
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return;
    }
    const lines = [`sweep of ${asOf}: ${results.length} program(s)`];
    for (const r of results) {
      const issued = r.issued.length > 0 ? `, invoices issued first: ${r.issued.join(', ')}` : '';
      lines.push(`program ${r.programId}: ${r.lapses.length} lapse(s)${issued}`);
      for (const lapse of r.lapses)
        lines.push(
          `  ${lapse.enrollmentId}  covered until ${lapse.lastCoveredDay}  unpaid ${lapse.unpaidMonths.join(', ')}`,
        );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await runtime.close();
  }
}
