import { Controller, Get, HttpStatus, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ledger/platform/auth';
import { ProblemException, type ProblemField } from '@ledger/platform/http/problem';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KEY_ROTATIONS_FILE,
  ProofUnavailableError,
  splitNotes,
  type StoredCheckpoint,
} from '@ledger/integrity';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';

/** A positive whole number within JavaScript's exact range, or a 400 naming the parameter. */
function count(value: unknown, field: string, errors: ProblemField[], required = true): number | undefined {
  if (value === undefined || value === '') {
    if (required) errors.push({ field, rule: 'required', message: `${field} wajib diisi` });
    return undefined;
  }
  const text = Array.isArray(value) ? '' : String(value);
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n)) {
    errors.push({ field, rule: 'positiveInteger', message: `${field} harus bilangan bulat positif` });
    return undefined;
  }
  return n;
}

function refuse(errors: ProblemField[]): void {
  if (errors.length)
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
      errors,
    });
}

function unavailable(error: unknown): never {
  if (error instanceof ProofUnavailableError)
    throw new ProblemException(HttpStatus.NOT_FOUND, 'integrity.not-in-tree', 'Belum ada di pohon Merkle', {
      detail: error.message,
      errors: [{ field: error.field, rule: 'inTree', message: error.message }],
    });
  throw error;
}

const checkpointBody = (c: StoredCheckpoint) => ({
  origin: c.origin,
  treeSize: c.size,
  rootHash: c.root.toString('base64'),
  signedAt: c.signedAt,
  /** The C2SP signed note itself: what an auditor keeps and verifies. */
  note: c.note,
});

const b64 = (b: Buffer) => b.toString('base64');

/**
 * Tamper evidence for auditors: the signed checkpoints of the Merkle tree over the log, the
 * public key they verify against, and RFC 9162 inclusion and consistency proofs. Hashes are
 * base64, as in the checkpoints.
 */
@ApiTags('integrity')
@ApiBearerAuth()
@Roles('auditor', 'program_admin')
@Controller('api/integrity')
export class IntegrityController {
  constructor(@Inject(RUNTIME) private readonly runtime: LedgerRuntime) {}

  private get integrity() {
    return this.runtime.integrity;
  }

  @Get('public-key')
  @ApiOperation({
    summary:
      'The Ed25519 key that signs the checkpoints, as a signed-note verifier key, and the key rotation statements that link it to earlier keys',
  })
  publicKey() {
    const { signer } = this.integrity;
    const { config } = this.runtime;
    // Embedded mode keeps the statements in the data folder; server modes publish them themselves.
    const file = join(config.dataDir, KEY_ROTATIONS_FILE);
    const rotations =
      config.store === 'sqlite' && existsSync(file) ? splitNotes(readFileSync(file, 'utf8')) : [];
    return {
      origin: signer.name,
      algorithm: 'Ed25519',
      publicKey: b64(signer.publicKey),
      keyId: signer.keyId.toString('hex'),
      verifierKey: signer.verifierKey,
      rotations,
    };
  }

  @Get('checkpoints/latest')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)' })
  async latest() {
    const latest = await this.integrity.tree.latestCheckpoint();
    if (!latest)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'integrity.no-checkpoint', 'Belum ada checkpoint', {
        detail: 'checkpoint pertama ditandatangani setelah peristiwa pertama tercatat',
      });
    return checkpointBody(latest);
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'The checkpoint of one tree size, or the latest 100 checkpoints' })
  @ApiQuery({ name: 'size', required: false, description: 'Tree size (number of events) of the checkpoint' })
  async checkpoints(@Query('size') sizeParam?: unknown) {
    const errors: ProblemField[] = [];
    const size = count(sizeParam, 'size', errors, false);
    refuse(errors);
    if (size === undefined)
      return { checkpoints: (await this.integrity.tree.checkpoints(100)).map(checkpointBody) };
    const found = await this.integrity.tree.checkpoint(size);
    if (!found)
      throw new ProblemException(
        HttpStatus.NOT_FOUND,
        'integrity.no-checkpoint',
        'Checkpoint tidak ditemukan',
        {
          errors: [
            { field: 'size', rule: 'checkpointExists', message: `tidak ada checkpoint berukuran ${size}` },
          ],
        },
      );
    return checkpointBody(found);
  }

  @Get('proofs/inclusion')
  @ApiOperation({
    summary: 'RFC 9162 §2.1.3 inclusion proof of the event at a log position in the tree of a size',
  })
  @ApiQuery({ name: 'position', required: true, description: 'Log position of the event' })
  @ApiQuery({ name: 'size', required: false, description: 'Tree size; default: the latest checkpoint' })
  async inclusion(@Query('position') positionParam?: unknown, @Query('size') sizeParam?: unknown) {
    const errors: ProblemField[] = [];
    const position = count(positionParam, 'position', errors);
    const size = count(sizeParam, 'size', errors, false);
    refuse(errors);
    const proof = await this.integrity.inclusionProof(position!, size).catch(unavailable);
    return {
      position: proof.position,
      leafIndex: proof.leafIndex,
      treeSize: proof.treeSize,
      leafHash: b64(proof.leafHash),
      rootHash: b64(proof.root),
      proof: proof.proof.map(b64),
    };
  }

  @Get('proofs/consistency')
  @ApiOperation({
    summary: 'RFC 9162 §2.1.4 consistency proof between the trees of two sizes, 0 < from < to',
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  async consistency(@Query('from') fromParam?: unknown, @Query('to') toParam?: unknown) {
    const errors: ProblemField[] = [];
    const from = count(fromParam, 'from', errors);
    const to = count(toParam, 'to', errors);
    if (from !== undefined && to !== undefined && from >= to)
      errors.push({ field: 'from', rule: 'lessThanTo', message: 'from harus lebih kecil dari to' });
    refuse(errors);
    const proof = await this.integrity.consistencyProof(from!, to!).catch(unavailable);
    return {
      from: proof.from,
      to: proof.to,
      fromRoot: b64(proof.fromRoot),
      toRoot: b64(proof.toRoot),
      proof: proof.proof.map(b64),
    };
  }
}
