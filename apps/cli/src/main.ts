import 'reflect-metadata';
import { CommanderError, type Command } from 'commander';
import { ConfigError } from '@ledger/platform/config';
import { CliError, seeHelp } from './cli-error';
import { cliProgram } from './program';

/**
 * Commander printed help or the version (exit 0, nothing runs), or the help of a command that
 * needs a subcommand and got none (a usage mistake, exit 2).
 */
class Printed extends Error {
  constructor(readonly exitCode: 0 | 2) {
    super('printed');
  }
}

/**
 * Commander's mistakes become one-line CliErrors that point to the command's help, the same
 * exit code 2 as every other usage mistake; its own error output is switched off for that.
 */
function reportUsageErrorsAsCliErrors(command: Command): void {
  command.configureOutput({ outputError: () => undefined });
  command.exitOverride((error: CommanderError) => {
    if (error.exitCode === 0) throw new Printed(0);
    if (error.code === 'commander.help') throw new Printed(2);
    const text = error.message
      .replace(/^error: /, '')
      .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
      .replace(/\.$/, '');
    const path = [];
    for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
    throw new CliError(`${text.charAt(0).toUpperCase()}${text.slice(1)}; ${seeHelp(path.join(' '))}`);
  });
  for (const sub of command.commands) reportUsageErrorsAsCliErrors(sub);
}

async function main(argv: string[]) {
  const program = cliProgram();
  reportUsageErrorsAsCliErrors(program);
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  await program.parseAsync(argv, { from: 'user' });
}

// `… --help | head` closes the pipe before all is written: the reader had enough, nothing failed.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof Printed) process.exit(error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `ledger: ${error instanceof ConfigError ? 'configuration error: ' : ''}${message}\n`,
    );
    if (process.env.LEDGER_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(error instanceof CliError || error instanceof ConfigError ? 2 : 1);
  },
);
