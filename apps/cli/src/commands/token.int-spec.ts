import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { verifyToken } from '@ledger/platform/auth/jwt';
import { loadOrCreateSecrets, secretsFromEnv } from '@ledger/crypto/master-key';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run cli -- token …`, without npm in between, in a process of its own. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  // The surrounding shell's store selection must not leak into the embedded-mode cases.
  if (!('LEDGER_STORE' in env)) delete childEnv.LEDGER_STORE;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './scripts/register.js', 'apps/cli/src/main.ts', 'token', ...args],
      { cwd: ROOT, env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('cli token', () => {
  let dir: string;
  let dataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-token-'));
    // Not created yet: the command must create it along with the secrets.
    dataDir = join(dir, 'nested', 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('embedded mode: prints only a token that verifies with the data directory secret', async () => {
    const run = await cli(['--role', 'program_admin', '--region', '1603'], { LEDGER_DATA_DIR: dataDir });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true);

    const token = run.stdout.trim();
    const secret = loadOrCreateSecrets(dataDir).jwtSecret;
    await expect(verifyToken(secret, token)).resolves.toEqual({
      id: 'program_admin-cli',
      role: 'program_admin',
      regions: ['1603'],
    });
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(8 * 3600);
  });

  it('takes several regions, a subject and a ttl', async () => {
    const run = await cli(
      ['--role=finance', '--region', '11', '--region', '1603', '--sub', 'siti@muaraenim', '--ttl', '30m'],
      { LEDGER_DATA_DIR: dataDir },
    );
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    await expect(verifyToken(loadOrCreateSecrets(dataDir).jwtSecret, token)).resolves.toEqual({
      id: 'siti@muaraenim',
      role: 'finance',
      regions: ['11', '1603'],
    });
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(30 * 60);
  });

  it('server mode signs with LEDGER_JWT_SECRET and never touches the database', async () => {
    const env = {
      LEDGER_STORE: 'postgres',
      // Nothing listens there: minting a token must not need the database.
      DATABASE_URL: 'postgres://ledger@127.0.0.1:1/ledger',
      LEDGER_DATA_DIR: dataDir,
      LEDGER_KEK: randomBytes(32).toString('base64'),
      LEDGER_NIK_HMAC_KEY: randomBytes(32).toString('base64'),
      LEDGER_JWT_SECRET: randomBytes(32).toString('base64'),
    };
    const run = await cli(['--role', 'auditor', '--region', 'ID'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    await expect(verifyToken(secretsFromEnv(env).jwtSecret, run.stdout.trim())).resolves.toMatchObject({
      role: 'auditor',
      regions: ['ID'],
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    ['an unknown role', ['--role', 'superuser', '--region', 'ID'], /unknown role "superuser"/],
    ['an unknown region', ['--role', 'viewer', '--region', '99'], /unknown region "99"/],
    ['a malformed region', ['--role', 'viewer', '--region', 'Muara Enim'], /unknown region "Muara Enim"/],
    ['a regional role without --region', ['--role', 'viewer'], /--region .*use --region ID for national/],
    ['a village operator on a regency', ['--role', 'village_operator', '--region', '1603'], /village codes/],
    ['a village operator without a village', ['--role', 'village_operator'], /--region <village code>/],
    ['a malformed ttl', ['--role', 'viewer', '--region', 'ID', '--ttl', '8 hours'], /--ttl/],
    ['no --role', ['--region', 'ID'], /--role is required/],
    ['an unknown option', ['--role', 'viewer', '--region', 'ID', '--admin'], /Unknown option '--admin'/],
  ])('refuses %s: exit 2, one line on stderr, nothing on stdout', async (_what, args, message) => {
    const run = await cli(args, { LEDGER_DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ledger: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });

  it('a missing server secret is a one-line error that names the variable', async () => {
    const run = await cli(['--role', 'viewer', '--region', 'ID'], {
      LEDGER_STORE: 'postgres',
      DATABASE_URL: 'postgres://ledger@127.0.0.1:1/ledger',
      LEDGER_KEK: '',
      LEDGER_NIK_HMAC_KEY: '',
      LEDGER_JWT_SECRET: '',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ledger: LEDGER_\w+ is not set[^\n]*\n$/);
  });
});
