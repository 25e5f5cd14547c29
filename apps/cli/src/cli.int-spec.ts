import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, finished, spawnTs, type Finished } from '../../../test/support/processes';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

type Run = Finished & { args: string[] };

/** `npm run cli -- …`, without npm in between, in a process of its own on the given data folder. */
async function cli(args: string[], dataDir: string): Promise<Run> {
  // The surrounding shell's store selection must not send these runs to a server.
  const env = { LEDGER_DATA_DIR: dataDir, LEDGER_STORE: undefined };
  return { args, ...(await finished(spawnTs('apps/cli/src/main.ts', env, args), 50_000)) };
}

/** A few at a time: every run starts node with the TypeScript hook, on a machine shared with other suites. */
async function inBatches(runs: string[][], dataDir: string): Promise<Run[]> {
  const out: Run[] = [];
  for (let i = 0; i < runs.length; i += 3)
    out.push(...(await Promise.all(runs.slice(i, i + 3).map((a) => cli(a, dataDir)))));
  return out;
}

/** Every command and subcommand, as typed after `npm run cli --`. */
const COMMANDS = [
  ['token'],
  ['demo'],
  ['generate'],
  ['contributions'],
  ['contributions', 'sweep'],
  ['replay'],
  ['replay', 'participant'],
  ['audit'],
  ['projections'],
  ['projections', 'status'],
  ['projections', 'rebuild'],
  ['projections', 'catch-up'],
  ['verify'],
  ['checkpoint'],
  ['rotate-key'],
  ['bench'],
];

describe('cli conventions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(COMMANDS.map((command) => [command.join(' '), command]))(
    '%s --help prints its usage and an example, exits 0 and runs nothing',
    async (name, command) => {
      const run = await cli([...command, '--help'], dir);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`Usage: npm run cli -- ${name} [options]`);
      expect(run.stdout.split('\nExamples:\n')[1]).toContain(`  npm run cli -- ${name}`);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('-h and the help command print the same help; the list of commands comes without arguments too', async () => {
    const [short, long, helpCommand, bare, top] = await inBatches(
      [['demo', '-h'], ['demo', '--help'], ['help', 'demo'], [], ['--help']],
      dir,
    );
    expect([short, long, helpCommand, bare, top].map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(short.stdout).toBe(long.stdout);
    expect(helpCommand.stdout).toBe(long.stdout);
    expect(bare.stdout).toBe(top.stdout);
    for (const command of ['token', 'demo', 'generate', 'replay', 'audit', 'projections', 'bench'])
      expect(top.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('--version prints the version of the package', async () => {
    const [long, short] = await inBatches([['--version'], ['-V']], dir);
    expect(long).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(short).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('an unknown option is exit 2 with one line that names it, and nothing runs', async () => {
    const runs = await inBatches(
      [[], ...COMMANDS].map((command) => [...command, '--frobnicate']),
      dir,
    );
    for (const run of runs) {
      expect({ args: run.args, code: run.code, stdout: run.stdout }).toEqual({
        args: run.args,
        code: 2,
        stdout: '',
      });
      const command = run.args.slice(0, -1).join(' ');
      expect(run.stderr).toBe(
        `ledger: Unknown option '--frobnicate'; see: npm run cli -- ${command ? `${command} ` : ''}--help\n`,
      );
    }
    expect(readdirSync(dir)).toEqual([]);
  }, 180_000);

  it('a missing value, argument or subcommand and an unknown command are usage mistakes: exit 2', async () => {
    const [value, argument, command, subcommand, none] = await inBatches(
      [
        ['token', '--role'],
        ['projections', 'rebuild'],
        ['rebuild'],
        ['projections', 'rebuld'],
        ['projections'],
      ],
      dir,
    );
    expect(value).toMatchObject({ code: 2, stdout: '' });
    expect(value.stderr).toMatch(
      /^ledger: Option '--role <role>' argument missing; see: npm run cli -- token --help\n$/,
    );
    expect(argument).toMatchObject({ code: 2, stdout: '' });
    expect(argument.stderr).toMatch(/^ledger: Missing required argument 'name'[^\n]*\n$/);
    expect(command).toMatchObject({ code: 2, stdout: '' });
    expect(command.stderr).toMatch(/^ledger: Unknown command 'rebuild'; see: npm run cli -- --help\n$/);
    expect(subcommand).toMatchObject({ code: 2, stdout: '' });
    expect(subcommand.stderr).toMatch(/^ledger: Unknown command 'rebuld' \(did you mean rebuild\?\)/);
    // Without its subcommand, a command shows what it has, as a mistake.
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('Usage: npm run cli -- projections');
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('progress goes to stderr as whole lines when it is not a terminal', async () => {
    const generate = await cli(['generate', '--participants', '30', '--programs', '2', '--seed', '7'], dir);
    expect(generate).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^generated 30 covered participants in 2 programs/),
    });
    expect(generate.stderr).not.toContain('\r');
    expect(generate.stderr).toMatch(
      /^ {2}1\/2 programs, \d+ participants covered, \d+\/s\n {2}2\/2 programs, 30 participants covered/m,
    );

    const rebuild = await cli(['projections', 'rebuild', 'all'], dir);
    expect(rebuild).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^rebuilt .*coverage.*: \d+ events in/),
    });
    expect(rebuild.stderr).toMatch(/^rebuilding .*coverage.* from the log up to position \d+\n$/);
  }, 180_000);
});
