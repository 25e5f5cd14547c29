// Tamper evidence: event leaf hashes, the Merkle tree over the log, signed checkpoints and proofs.
export * from './merkle';
export * from './checkpoint';
export * from './key-rotation';
export * from './signing-key';
export * from './tree-store';
export * from './integrity-service';
export * from './raw-log';
export * from './verify';
export * from './sqlite-leaf-hashes';
export * from './bundle/export-bundle';
export * from './bundle/verify-bundle';
