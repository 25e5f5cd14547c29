import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSecrets, secretsFromEnv } from './master-key';

describe('loadOrCreateSecrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates three distinct 32-byte secrets in secrets.json, readable by the owner only', () => {
    const secrets = loadOrCreateSecrets(dir);
    for (const key of [secrets.kek, secrets.nikHmacKey, secrets.jwtSecret]) expect(key).toHaveLength(32);
    expect(secrets.kek.equals(secrets.nikHmacKey)).toBe(false);
    expect(secrets.kek.equals(secrets.jwtSecret)).toBe(false);
    const file = join(dir, 'secrets.json');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      version: 1,
      kek: secrets.kek.toString('base64'),
    });
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('returns the same secrets on the next start', () => {
    const first = loadOrCreateSecrets(dir);
    const second = loadOrCreateSecrets(dir);
    expect(second).toEqual(first);
  });

  it('creates the data directory if needed', () => {
    const nested = join(dir, 'a', 'b');
    loadOrCreateSecrets(nested);
    expect(existsSync(join(nested, 'secrets.json'))).toBe(true);
  });

  it.each([
    ['not JSON', '{ kek: '],
    ['not an object', '[]'],
    ['a missing field', JSON.stringify({ kek: randomBytes(32).toString('base64') })],
    [
      'a short key',
      JSON.stringify({
        kek: randomBytes(16).toString('base64'),
        nikHmacKey: randomBytes(32).toString('base64'),
        jwtSecret: randomBytes(32).toString('base64'),
      }),
    ],
    [
      'a key that is not base64',
      JSON.stringify({
        kek: '!'.repeat(44),
        nikHmacKey: randomBytes(32).toString('base64'),
        jwtSecret: randomBytes(32).toString('base64'),
      }),
    ],
  ])('refuses a file with %s, in one line naming the file, and leaves it alone', (_, content) => {
    const file = join(dir, 'secrets.json');
    writeFileSync(file, content);
    let message = '';
    try {
      loadOrCreateSecrets(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(file);
    expect(message).toContain('malformed');
    expect(message).not.toContain('\n');
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('refuses a file where two secrets are the same', () => {
    const same = randomBytes(32).toString('base64');
    writeFileSync(
      join(dir, 'secrets.json'),
      JSON.stringify({ kek: same, nikHmacKey: same, jwtSecret: randomBytes(32).toString('base64') }),
    );
    expect(() => loadOrCreateSecrets(dir)).toThrow(/must be different/);
  });
});

describe('secretsFromEnv', () => {
  const valid = () => ({
    LEDGER_KEK: randomBytes(32).toString('base64'),
    LEDGER_NIK_HMAC_KEY: randomBytes(32).toString('base64url'),
    LEDGER_JWT_SECRET: `${randomBytes(32).toString('base64')}\n`,
  });

  it('reads three base64 or base64url secrets of 32 bytes', () => {
    const env = valid();
    const secrets = secretsFromEnv(env);
    expect(secrets.kek).toEqual(Buffer.from(env.LEDGER_KEK, 'base64'));
    expect(secrets.nikHmacKey).toEqual(Buffer.from(env.LEDGER_NIK_HMAC_KEY, 'base64url'));
    expect(secrets.jwtSecret).toHaveLength(32);
  });

  it.each(['LEDGER_KEK', 'LEDGER_NIK_HMAC_KEY', 'LEDGER_JWT_SECRET'])(
    'names %s when it is missing',
    (name) => {
      expect(() => secretsFromEnv({ ...valid(), [name]: undefined })).toThrow(
        new RegExp(`^${name} is not set`),
      );
    },
  );

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', 'this is not base64 at all, not even close!!'],
    ['hex', randomBytes(32).toString('hex')],
  ])('names the variable when its value is %s, without echoing it', (_, value) => {
    let message = '';
    try {
      secretsFromEnv({ ...valid(), LEDGER_NIK_HMAC_KEY: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^LEDGER_NIK_HMAC_KEY must be base64 of exactly 32 bytes/);
    expect(message).not.toContain(value);
  });

  it('refuses the same value in two variables', () => {
    const env = valid();
    expect(() => secretsFromEnv({ ...env, LEDGER_JWT_SECRET: env.LEDGER_KEK })).toThrow(
      /LEDGER_KEK and LEDGER_JWT_SECRET must be different/,
    );
  });
});
