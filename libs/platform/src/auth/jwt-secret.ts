import type { LedgerConfig } from '../config';
import { loadOrCreateSecrets, secretsFromEnv } from '@ledger/crypto/master-key';

/**
 * The key that signs API tokens, from where the mode keeps its secrets: embedded mode
 * reads (or on first use creates) `<dataDir>/secrets.json`, which also creates the data
 * directory; server and distributed modes read LEDGER_JWT_SECRET (secretsFromEnv insists on
 * LEDGER_KEK and LEDGER_NIK_HMAC_KEY too), so every API replica and the CLI share one key.
 */
export function loadJwtSecret(
  config: LedgerConfig,
  env: Record<string, string | undefined> = process.env,
): Buffer {
  return config.store === 'sqlite'
    ? loadOrCreateSecrets(config.dataDir).jwtSecret
    : secretsFromEnv(env).jwtSecret;
}
