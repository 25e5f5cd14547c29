export {
  encryptFields,
  decryptFields,
  isEncryptedBlob,
  nikHmac,
  PiiDecryptionError,
  type EncryptedBlob,
} from './pii-cipher';
export {
  PostgresPersonKeyStore,
  SqlitePersonKeyStore,
  SubjectErasedError,
  unwrapDataKey,
  wrapDataKey,
  type PersonKeyStore,
  type PostgresPersonKeyStoreOptions,
} from './person-key-store';
export { loadOrCreateSecrets, secretsFromEnv, SECRETS_FILE, type LedgerSecrets } from './master-key';
export { KeyStoreMismatchError, verifyKeyStore } from './key-store-check';
