import { Command } from 'commander';
import { version } from '../../../package.json';

/**
 * The commands, their options and their help. Each action loads its command module only when
 * it runs, so `--help`, `--version` and a mistyped option answer before any module opens the
 * ledger, and `token` starts without the store drivers.
 */
export function cliProgram(): Command {
  // Named as people start it, so every usage line can be copied.
  const program = new Command('npm run cli --')
    .usage('<command> [options]')
    .description(
      'Administration of the ledger: tokens, demo and benchmark ledgers, replay, audit trail, read models',
    )
    .version(version, '-V, --version', 'print the version of the ledger')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    .showSuggestionAfterError()
    .addHelpText('after', examples('token --help', 'projections rebuild --help'));

  program
    .command('token')
    .description(
      'Prints an API token signed with the key the API verifies with; only the token goes to stdout',
    )
    .option('--role <role>', 'role of the holder, e.g. program_admin, village_operator, auditor (required)')
    .option(
      '--region <code>',
      `region the token reaches, repeatable; ID for national scope, a village code for a village operator`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--sub <name>', 'subject named in the audit trail (default: <role>-cli)')
    .option('--ttl <duration>', 'lifetime like 30m, 8h or 7d, at most 366 days', '8h')
    .addHelpText(
      'after',
      examples(
        'token --role program_admin --region 16',
        'token --role finance --region 11 --region 1603 --sub siti@muaraenim --ttl 30m',
      ),
    )
    .action(async (options) => (await import('./commands/token')).tokenCommand(options));

  program
    .command('users')
    .description('Accounts of the web app')
    .addHelpText('after', examples('users create-admin --help'))
    .command('create-admin')
    .description(
      'Creates an administrator of accounts (national scope); the password comes from a prompt or the first line of stdin',
    )
    .option('--username <name>', 'login name: lower-case letters, digits, . _ - @ (required)')
    .addHelpText(
      'after',
      examples(
        'users create-admin --username admin.pusat',
        'users create-admin --username admin.pusat < password.txt',
      ),
    )
    .action(async (options) => (await import('./commands/users')).createAdminCommand(options));

  program
    .command('demo')
    .description('Loads the four regencies of the domain notes into an empty embedded ledger')
    .addHelpText('after', examples('demo', 'LEDGER_DATA_DIR=/tmp/demo npm run demo'))
    .action(async () => (await import('./commands/demo')).demoCommand());

  program
    .command('generate')
    .description('Builds a large ledger for benchmarks through the import path and the use cases')
    .option('--participants <n>', 'covered participants to build, 1 to 10,000,000 (required)')
    .option('--programs <k>', 'programs, each in a regency of its own (default: one per 10,000 participants)')
    .option('--seed <n>', 'seed of the synthetic people (default: differs on every run)')
    .option(
      '--dues',
      "also each program's monthly invoices and payments of its year up to last month (1% of the lines left unpaid)",
    )
    .option(
      '--claims <n>',
      'claims in the ledger at the end, through the claim use cases (JKM and JKK, every stage)',
    )
    .option(
      '--sp2d',
      "also every program's SPP, SPM and SP2D for each of its invoices of the year, linked to it",
    )
    .addHelpText(
      'after',
      examples(
        'generate --participants 100000',
        'generate --participants 20000 --programs 4',
        'generate --participants 1000000 --dues --sp2d --claims 10000',
        'generate --participants 0 --sp2d --claims 10000',
      ),
    )
    .action(async (options) => (await import('./commands/generate')).generateCommand(options));

  program
    .command('contributions')
    .description('Contributions: arrears and lapses')
    .addHelpText('after', examples('contributions sweep --help'))
    .command('sweep')
    .description(
      'Decides the lapses on a day: coverages with more than three consecutive owed months unpaid past due end at the first one’s grace; issues the missing past-due invoices first',
    )
    .option('--as-of <date>', 'the day the sweep decides for, YYYY-MM-DD (required)')
    .option('--program <id>', 'only this program (default: every program)')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      examples(
        'contributions sweep --as-of 2026-05-16',
        'contributions sweep --as-of 2026-05-16 --program 0197b000-0000-7000-8000-0000000000a1 --json',
      ),
    )
    .action(async (options) => (await import('./commands/contributions')).contributionsSweepCommand(options));

  program
    .command('replay')
    .description("A participant's story read from the event store itself")
    .addHelpText('after', examples('replay participant --help'))
    .command('participant')
    .description('Timeline, personal data (or DIHAPUS once erased) and enrollments of one participant')
    .argument('<id>', 'participant id (UUID)')
    .option('--as-of <date>', 'also the coverage on that day (the effective date), YYYY-MM-DD')
    .option(
      '--known-at <when>',
      'as the ledger held it then: a consistency token, an ISO instant with its offset, or a day YYYY-MM-DD (end of the day, WIB)',
    )
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      examples(
        'replay participant 2f1c6f0e-8d3a-4c1b-9a55-0b7e2d9c4a10',
        'replay participant 2f1c6f0e-8d3a-4c1b-9a55-0b7e2d9c4a10 --as-of 2026-03-15 --json',
      ),
    )
    .action(async (id: string, options) => (await import('./commands/replay')).replayCommand(id, options));

  program
    .command('audit')
    .description('The audit trail, answered by the same query as GET /api/audit, with national scope')
    .option('--actor <id>', 'only what this user did')
    .option('--role <role>', 'only what users of this role did')
    .option('--region <code>', 'only this region and the regions within it')
    .option('--program <id>', 'only this program')
    .option('--action <codes>', 'only these actions, separated by commas')
    .option('--sensitive', 'only reads and exports of personal data')
    .option('--from <date>', 'from this day on, YYYY-MM-DD')
    .option('--to <date>', 'up to this day, YYYY-MM-DD')
    .option('--after <position>', 'the page after this position (printed as "more: --after N")')
    .option('--limit <n>', 'entries per page')
    .option('--summary <by>', 'counts by actor or by region instead of entries')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      examples(
        'audit --actor admin-muara-enim --from 2026-01-01 --to 2026-01-31',
        'audit --region 1603 --summary actor --json',
      ),
    )
    .action(async (options) => (await import('./commands/audit')).auditCommand(options));

  const projections = program
    .command('projections')
    .description('Read models: where they stand, and their repair from the log')
    .addHelpText('after', examples('projections status', 'projections rebuild all', 'projections catch-up'));
  projections
    .command('status')
    .description('Position, head and lag of every read model')
    .addHelpText('after', examples('projections status'))
    .action(async () => (await import('./commands/projections')).projectionsCommand({ action: 'status' }));
  projections
    .command('rebuild')
    .description('Rebuilds read models from the whole log into fresh tables while the current ones answer')
    .argument('<name>', 'a read model (see projections status), or all')
    .addHelpText('after', examples('projections rebuild all', 'projections rebuild coverage'))
    .action(async (name: string) =>
      (await import('./commands/projections')).projectionsCommand({ action: 'rebuild', name }),
    );
  projections
    .command('catch-up')
    .description('Applies the events the read models have not seen yet, then prints their status')
    .addHelpText('after', examples('projections catch-up'))
    .action(async () => (await import('./commands/projections')).projectionsCommand({ action: 'catch-up' }));

  program
    .command('verify')
    .description(
      'Tamper evidence: every event of the raw store hashed again, the Merkle tree rebuilt and held against the signed checkpoints; exit 1 on any finding',
    )
    .option(
      '--public-key <key>',
      "the published verifier key (GET /api/integrity/public-key); default: the operator's own",
    )
    .option(
      '--checkpoints <file>',
      'a file of signed checkpoints to hold the log against too (default: data/checkpoints.txt)',
    )
    .option(
      '--rotations <file>',
      'key rotation statements to follow from that key (default: data/key-rotations.txt)',
    )
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      examples(
        'verify',
        'verify --public-key ledger-pekerja-rentan+1a2b3c4d+AQ… --checkpoints copied-checkpoints.txt',
      ),
    )
    .action(async (options) => (await import('./commands/verify')).verifyCommand(options));

  program
    .command('checkpoint')
    .description(
      'Extends the Merkle tree to the head of the log and signs a checkpoint now; prints the signed note',
    )
    .option('--json', 'print JSON instead of the note')
    .addHelpText('after', examples('checkpoint'))
    .action(async (options) => (await import('./commands/verify')).checkpointCommand(options));

  program
    .command('rotate-key')
    .description(
      'A new checkpoint signing key, announced by a statement signed by the old and the new key; prints the statement',
    )
    .option(
      '--new-key <base64>',
      'server modes: the next LEDGER_INTEGRITY_SIGNING_KEY (32 random bytes, base64)',
    )
    .addHelpText('after', examples('rotate-key', 'rotate-key --new-key "$(openssl rand -base64 32)"'))
    .action(async (options) => (await import('./commands/verify')).rotateKeyCommand(options));

  const integrity = program
    .command('integrity')
    .description('Tamper evidence for auditors: bundles of checkpoints, events and proofs checked offline')
    .addHelpText(
      'after',
      examples(
        'integrity export-bundle --out bundle.json',
        'integrity verify-bundle bundle.json --public-key …',
      ),
    );
  integrity
    .command('export-bundle')
    .description(
      'Writes a bundle: two signed checkpoints and their consistency proof, events in their stored form with inclusion proofs (default: the events the later checkpoint added)',
    )
    .option('--out <file>', 'where to write the bundle (JSON); required')
    .option('--checkpoint <size>', 'the checkpoint the events are proven in (default: the latest)')
    .option('--since <size>', 'an earlier checkpoint the auditor holds (default: the one before)')
    .option('--positions <list>', 'events by log position, comma-separated')
    .option('--stream <id...>', "every event of these streams (e.g. a participant's history)")
    .addHelpText(
      'after',
      `${examples(
        'integrity export-bundle --out bundle.json',
        'integrity export-bundle --out history.json --stream participant-7c0e… --since 120000',
      )}\nAn auditor checks it on their own machine, with Node alone (after npm run build):\n` +
        '  node dist/libs/integrity/src/bundle/verify-bundle.js bundle.json --public-key ledger-pekerja-rentan+1a2b3c4d+AQ…',
    )
    .action(async (options) => (await import('./commands/bundle')).exportBundleCommand(options));
  integrity
    .command('verify-bundle')
    .description('Checks a bundle offline, as the standalone verifier does; exit 1 on any failure')
    .argument('<file>', 'the bundle')
    .option('--public-key <key>', 'the published verifier key (default: the one the bundle names)')
    .addHelpText(
      'after',
      examples('integrity verify-bundle bundle.json --public-key ledger-pekerja-rentan+1a2b3c4d+AQ…'),
    )
    .action(async (file, options) => (await import('./commands/bundle')).verifyBundleCommand(file, options));

  program
    .command('bench')
    .description('Throughput of every reachable store against its raw driver; a table, then one line of JSON')
    .option('--quick', 'small sizes, for a first look')
    .option('--stores <list>', 'stores to measure: sqlite, postgres, kurrentdb (default: all of them)')
    .option(
      '--only <sections>',
      'sections to run: store, import, queries, audit, claims, hostile, big-import, integrity, exports, finance, treasury (default: store,import,queries,audit)',
    )
    .option(
      '--participants <n>',
      'ledger size of the query, audit, claims and finance sections, rows of the big-import list, events verified by the integrity section (default: 1,000,000; 20,000 with --quick, 100,000 for integrity)',
    )
    .option(
      '--ledger <dir>',
      'run the query, audit, claims and finance sections on this ledger (generated there if empty; claims and SP2D added if missing)',
    )
    .option(
      '--claims <n>',
      'claims the claims section measures the report on (default: 10,000; 200 with --quick)',
    )
    .option('--no-rebuild', "the query section's latencies without its full rebuild of every read model")
    .addHelpText(
      'after',
      examples(
        'bench --quick',
        'bench --only queries --ledger /tmp/ledger-1m',
        'bench --only audit,claims,finance --ledger /tmp/ledger-1m',
      ),
    )
    .action(async (options) => (await import('./bench/bench')).benchCommand(options));

  return program;
}

/** Each line a command of the CLI, or a whole shell line where it starts with an environment variable. */
function examples(...lines: string[]): string {
  const shown = lines.map((line) => (/^[A-Z_]+=/.test(line) ? line : `npm run cli -- ${line}`));
  return `\nExamples:\n${shown.map((line) => `  ${line}`).join('\n')}`;
}
