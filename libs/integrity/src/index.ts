// Tamper evidence: event leaf hashes, the Merkle tree over the log, signed checkpoints and proofs.
export {};
