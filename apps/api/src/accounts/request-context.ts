import { HttpStatus } from '@nestjs/common';
import type { Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { commandContext, hashOf, type CommandContext } from '@ledger/ledger/shared/command.deps';
import type { FastifyRequest } from 'fastify';

/**
 * The command context of an account write: who (the administrator), the Idempotency-Key, and
 * the hash of what was asked — without the password, whose digest must not reach the log.
 */
export function accountCommandContext(
  request: FastifyRequest,
  principal: Principal,
  body: unknown,
): CommandContext {
  const header = request.headers['idempotency-key'];
  const idempotencyKey = typeof header === 'string' && header.length > 0 ? header : undefined;
  if (idempotencyKey && idempotencyKey.length > 200) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Idempotency-Key terlalu panjang', {
      errors: [{ field: 'Idempotency-Key', rule: 'maxLength', message: 'paling banyak 200 karakter' }],
    });
  }
  const asked =
    body && typeof body === 'object' ? { ...(body as Record<string, unknown>), password: undefined } : body;
  return commandContext(
    { id: principal.id, role: principal.role, region: principal.regions.join(',') },
    { idempotencyKey, requestHash: hashOf([request.method, request.url, asked]) },
  );
}

/** The body as an object, or 400 naming it. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProblemException(
      HttpStatus.BAD_REQUEST,
      'request.invalid',
      'Badan permintaan harus objek JSON',
      {
        errors: [{ field: 'body', rule: 'isObject', message: 'kirim objek JSON' }],
      },
    );
  }
  return body as Record<string, unknown>;
}
