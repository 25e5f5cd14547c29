import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** The server secrets; each 32 random bytes, each used for one purpose only. */
export interface LedgerSecrets {
  /** Key-encryption key: wraps the per-person data keys in the key store. */
  kek: Buffer;
  /** HMAC-SHA-256 key that pseudonymises NIKs for lookups and uniqueness. */
  nikHmacKey: Buffer;
  /** Signs and verifies API tokens. */
  jwtSecret: Buffer;
}

const SECRET_BYTES = 32;
const SECRETS_FILE = 'secrets.json';

const FIELDS = ['kek', 'nikHmacKey', 'jwtSecret'] as const;
const ENV_NAMES: Record<(typeof FIELDS)[number], string> = {
  kek: 'LEDGER_KEK',
  nikHmacKey: 'LEDGER_NIK_HMAC_KEY',
  jwtSecret: 'LEDGER_JWT_SECRET',
};

/**
 * Secrets of the embedded mode, in `<dataDir>/secrets.json` (mode 0600), created with fresh
 * random keys on first start. Losing this file makes every encrypted personal field
 * unreadable and every NIK lookup miss, so it is never silently regenerated: a malformed
 * file is an error for the operator to fix or restore from backup.
 */
export function loadOrCreateSecrets(dataDir: string): LedgerSecrets {
  const file = join(dataDir, SECRETS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return createSecretsFile(dataDir, file);
  }
  return parseSecretsFile(file, text);
}

/**
 * Secrets of the server and distributed modes, from LEDGER_KEK, LEDGER_NIK_HMAC_KEY and
 * LEDGER_JWT_SECRET: base64 (or base64url) of 32 bytes each, e.g. `openssl rand -base64 32`.
 */
export function secretsFromEnv(env: Record<string, string | undefined> = process.env): LedgerSecrets {
  const secrets = {} as LedgerSecrets;
  for (const field of FIELDS) {
    const name = ENV_NAMES[field];
    const value = env[name]?.trim();
    if (!value)
      throw new Error(`${name} is not set (base64 of ${SECRET_BYTES} random bytes: openssl rand -base64 32)`);
    const key = decodeSecret(value);
    // The message names the variable but never echoes its value: it may be a real secret.
    if (!key) throw new Error(`${name} must be base64 of exactly ${SECRET_BYTES} bytes`);
    secrets[field] = key;
  }
  assertDistinct(secrets, (field) => ENV_NAMES[field]);
  return secrets;
}

function createSecretsFile(dataDir: string, file: string): LedgerSecrets {
  const secrets: LedgerSecrets = {
    kek: randomBytes(SECRET_BYTES),
    nikHmacKey: randomBytes(SECRET_BYTES),
    jwtSecret: randomBytes(SECRET_BYTES),
  };
  const content = `${JSON.stringify(
    {
      version: 1,
      note: 'Back up this file apart from the data directory. Without it, personal data in the ledger cannot be decrypted.',
      createdAt: new Date().toISOString(),
      kek: secrets.kek.toString('base64'),
      nikHmacKey: secrets.nikHmacKey.toString('base64'),
      jwtSecret: secrets.jwtSecret.toString('base64'),
    },
    null,
    2,
  )}\n`;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Written to a private temporary file and then hard-linked into place: link() is atomic and
  // refuses to replace an existing file, so a reader never sees a half-written file and two
  // processes starting at once cannot overwrite each other's keys — the loser reads the winner's.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSecretsFile(file, readFileSync(file, 'utf8'));
  } finally {
    unlinkSync(tmp);
  }
  return secrets;
}

function parseSecretsFile(file: string, text: string): LedgerSecrets {
  // One line, naming the file and what is wrong, never the content (it holds the keys).
  const malformed = (why: string) =>
    new Error(
      `${file} is malformed (${why}); restore it from backup — do not delete it, it holds the data keys`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw malformed('not a JSON object');
  const record = parsed as Record<string, unknown>;
  const secrets = {} as LedgerSecrets;
  for (const field of FIELDS) {
    const value = record[field];
    const key = typeof value === 'string' ? decodeSecret(value) : undefined;
    if (!key) throw malformed(`"${field}" must be base64 of ${SECRET_BYTES} bytes`);
    secrets[field] = key;
  }
  try {
    assertDistinct(secrets, (field) => `"${field}"`);
  } catch (error) {
    throw malformed((error as Error).message);
  }
  return secrets;
}

/**
 * Strict base64/base64url of exactly 32 bytes. Buffer.from(…, 'base64') silently skips
 * characters outside the alphabet, so the text is checked first.
 */
function decodeSecret(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== SECRET_BYTES) return undefined;
  // Reject non-canonical text (e.g. stray trailing bits) so one key has one spelling.
  const canonical = (s: string) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return canonical(bytes.toString('base64')) === canonical(text) ? bytes : undefined;
}

/** One value pasted into two variables would let, e.g., a leaked JWT secret unwrap the data keys. */
function assertDistinct(secrets: LedgerSecrets, label: (field: (typeof FIELDS)[number]) => string): void {
  for (let i = 0; i < FIELDS.length; i++) {
    for (let j = i + 1; j < FIELDS.length; j++) {
      if (secrets[FIELDS[i]].equals(secrets[FIELDS[j]])) {
        throw new Error(`${label(FIELDS[i])} and ${label(FIELDS[j])} must be different secrets`);
      }
    }
  }
}
