import 'reflect-metadata';
import { ConfigError } from '@ledger/platform/config';
import { CliError } from './cli-error';
import { projectionsCommand } from './commands/projections';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<void>; help: string }> = {
  projections: { run: projectionsCommand, help: 'projections status | rebuild <name|all> | catch-up' },
  token: {
    run: async (args) => (await import('./commands/token')).tokenCommand(args),
    help: 'token --role <role> [--region <code>]... [--sub <name>] [--ttl 8h]   prints an API token',
  },
  demo: {
    run: async () => (await import('./commands/demo')).demoCommand(),
    help: 'demo   loads the four regencies of the domain notes into an empty embedded ledger',
  },
  generate: {
    run: async (args) => (await import('./commands/generate')).generateCommand(args),
    help: 'generate --participants N [--programs K]   builds a large ledger for benchmarks',
  },
  replay: {
    run: async (args) => (await import('./commands/replay')).replayCommand(args),
    help: "replay participant <id> [--as-of YYYY-MM-DD] [--json]   a participant's timeline from the event store",
  },
  audit: {
    run: async (args) => (await import('./commands/audit')).auditCommand(args),
    help: 'audit [--actor ID] [--region CODE] [--action CODE] [--from D] [--to D] [--summary actor|region] [--json]   the audit trail',
  },
  bench: {
    run: async (args) => (await import('./bench/bench')).benchCommand(args),
    help: 'bench [--quick] [--stores sqlite,postgres,kurrentdb]   throughput against the raw drivers',
  },
};

function usage(): string {
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${c.help.startsWith(n) ? c.help : `${n}  ${c.help}`}`),
  ].join('\n');
}

async function main(argv: string[]) {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}"\n${usage()}`);
  await command.run(args);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `ledger: ${error instanceof ConfigError ? 'configuration error: ' : ''}${message}\n`,
    );
    if (process.env.LEDGER_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(error instanceof CliError || error instanceof ConfigError ? 2 : 1);
  },
);
