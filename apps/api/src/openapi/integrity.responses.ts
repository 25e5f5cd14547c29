import { arrayOf, instant, integer, object, ref, string, type AreaContract } from './schema-kit';

/** Tamper evidence: the signing key, signed checkpoints and RFC 9162 proofs (hashes in base64). */

const ROOT = 'n2rEkLf3kYcfb1hYZ9Q2CD7vXGyp2Jr4NUw9WnsXhs8=';
const NOTE =
  'ledger.example.id/1603\n1043\nn2rEkLf3kYcfb1hYZ9Q2CD7vXGyp2Jr4NUw9WnsXhs8=\n\n— ledger.example.id/1603 q0rWmF…\n';
const CHECKPOINT = {
  origin: 'ledger.example.id/1603',
  treeSize: 1043,
  rootHash: ROOT,
  signedAt: '2026-12-01T02:00:00.000Z',
  note: NOTE,
};

export const integrityContract: AreaContract = {
  schemas: {
    IntegrityPublicKey: object({
      origin: string('The checkpoints’ origin line'),
      algorithm: string('Ed25519'),
      publicKey: string('The Ed25519 public key, base64'),
      keyId: string('The signed-note key ID, hex'),
      verifierKey: string('The signed-note verifier key: <origin>+<key ID>+<base64(0x01 ‖ key)>'),
      rotations: arrayOf(string(), 'Key rotation statements, each signed by the old and the new key'),
    }),
    Checkpoint: object({
      origin: string(),
      treeSize: integer('Events in the tree'),
      rootHash: string('RFC 9162 root hash, base64'),
      signedAt: instant(),
      note: string('The C2SP signed note itself: what an auditor keeps and verifies'),
    }),
    CheckpointList: object({ checkpoints: arrayOf(ref('Checkpoint'), 'The latest 100, oldest first') }),
    CheckpointOrList: {
      description: 'With `size`: that checkpoint; without: the latest checkpoints',
      anyOf: [ref('Checkpoint'), ref('CheckpointList')],
    },
    InclusionProof: object({
      position: integer('Log position of the event'),
      leafIndex: integer('Its index in the tree'),
      treeSize: integer(),
      leafHash: string('base64'),
      rootHash: string('base64'),
      proof: arrayOf(string(), 'RFC 9162 §2.1.3 audit path, base64'),
    }),
    ConsistencyProof: object({
      from: integer(),
      to: integer(),
      fromRoot: string('base64'),
      toRoot: string('base64'),
      proof: arrayOf(string(), 'RFC 9162 §2.1.4 consistency proof, base64'),
    }),
  },
  operations: {
    'get /api/integrity/public-key': {
      schema: 'IntegrityPublicKey',
      description: 'The signing key',
      example: {
        origin: 'ledger.example.id/1603',
        algorithm: 'Ed25519',
        publicKey: 'MCowBQYDK2VwAyEA…',
        keyId: '1a2b3c4d',
        verifierKey: 'ledger.example.id/1603+1a2b3c4d+AQ…',
        rotations: [],
      },
    },
    'get /api/integrity/checkpoints/latest': {
      schema: 'Checkpoint',
      description: 'The latest signed checkpoint',
      example: CHECKPOINT,
    },
    'get /api/integrity/checkpoints': {
      schema: 'CheckpointOrList',
      description: 'One checkpoint, or the latest ones',
      example: { checkpoints: [CHECKPOINT] },
    },
    'get /api/integrity/proofs/inclusion': {
      schema: 'InclusionProof',
      description: 'The inclusion proof',
      example: { position: 17, leafIndex: 16, treeSize: 1043, leafHash: ROOT, rootHash: ROOT, proof: [ROOT] },
    },
    'get /api/integrity/proofs/consistency': {
      schema: 'ConsistencyProof',
      description: 'The consistency proof',
      example: { from: 1000, to: 1043, fromRoot: ROOT, toRoot: ROOT, proof: [ROOT] },
    },
  },
};
