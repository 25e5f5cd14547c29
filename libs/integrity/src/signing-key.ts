import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const SIGNING_KEY_FILE = 'integrity-signing-key.json';
/** Key rotation statements of the embedded mode, one signed note after another. */
export const KEY_ROTATIONS_FILE = 'key-rotations.txt';
export const SIGNING_KEY_ENV = 'LEDGER_INTEGRITY_SIGNING_KEY';

/**
 * The checkpoint signing key of the embedded mode, in `<dataDir>/integrity-signing-key.json`
 * (mode 0600), created on first use. A lost key only means later checkpoints are signed by a
 * new key, which auditors must be told of; a malformed file is refused, never replaced, since
 * a silent new key would look like a forged history. Created as the other secrets are: a
 * private temporary file hard-linked into place, so two processes starting together agree.
 */
export function loadOrCreateSigningKey(dataDir: string): Buffer {
  const file = join(dataDir, SIGNING_KEY_FILE);
  try {
    return parseKeyFile(file, readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const seed = randomBytes(32);
  return writeKeyFile(dataDir, file, seed) ?? seed;
}

/**
 * Rotation in the embedded mode: the current key file is kept as
 * `integrity-signing-key.<retired-at>.json` and `seed` takes its place.
 */
export function replaceSigningKey(dataDir: string, seed: Buffer): void {
  const file = join(dataDir, SIGNING_KEY_FILE);
  renameSync(
    file,
    join(dataDir, `integrity-signing-key.retired-${new Date().toISOString().replace(/[:.]/g, '')}.json`),
  );
  if (writeKeyFile(dataDir, file, seed)) throw new Error(`${file} was created meanwhile; rotate again`);
}

/** Writes a new key file; answers the seed of the file another process wrote first, if one did. */
function writeKeyFile(dataDir: string, file: string, seed: Buffer): Buffer | undefined {
  const content = `${JSON.stringify(
    {
      version: 1,
      note: 'Ed25519 key that signs the ledger checkpoints. Back it up; its public key is what auditors verify against.',
      createdAt: new Date().toISOString(),
      ed25519Seed: seed.toString('base64'),
    },
    null,
    2,
  )}\n`;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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
    return parseKeyFile(file, readFileSync(file, 'utf8'));
  } finally {
    unlinkSync(tmp);
  }
  return undefined;
}

/** Server modes: LEDGER_INTEGRITY_SIGNING_KEY, base64 of a 32-byte Ed25519 seed (`openssl rand -base64 32`). */
export function signingKeyFromEnv(env: Record<string, string | undefined> = process.env): Buffer {
  const value = env[SIGNING_KEY_ENV]?.trim();
  if (!value)
    throw new Error(`${SIGNING_KEY_ENV} is not set (base64 of 32 random bytes: openssl rand -base64 32)`);
  const seed = strictBase64(value);
  if (!seed) throw new Error(`${SIGNING_KEY_ENV} must be base64 of exactly 32 bytes`);
  return seed;
}

function parseKeyFile(file: string, text: string): Buffer {
  let seed: Buffer | undefined;
  try {
    const value = (JSON.parse(text) as { ed25519Seed?: unknown }).ed25519Seed;
    seed = typeof value === 'string' ? strictBase64(value) : undefined;
  } catch {
    seed = undefined;
  }
  // Names the file, never its content.
  if (!seed)
    throw new Error(
      `${file} is malformed ("ed25519Seed" must be base64 of 32 bytes); restore it from backup`,
    );
  return seed;
}

function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === text ? bytes : undefined;
}
