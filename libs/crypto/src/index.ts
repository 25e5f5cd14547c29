export {
  encryptFields,
  decryptFields,
  isEncryptedBlob,
  nikHmac,
  PiiDecryptionError,
  type EncryptedBlob,
} from './pii-cipher';
export { SubjectErasedError, type PersonKeyStore } from './person-key-store';
export { SqlitePersonKeyStore } from './sqlite/sqlite-person-key-store';
export {
  PostgresPersonKeyStore,
  type PostgresPersonKeyStoreOptions,
} from './postgres/postgres-person-key-store';
export { loadOrCreateSecrets, secretsFromEnv, type LedgerSecrets } from './master-key';
export { KeyStoreMismatchError, verifyKeyStore } from './key-store-check';
