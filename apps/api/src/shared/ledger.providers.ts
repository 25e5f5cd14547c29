import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@ledger/platform/auth';
import { covers } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import {
  commandContext,
  hashOf,
  type CommandContext,
  type LedgerDeps,
} from '@ledger/ledger/shared/command.deps';
import { regions } from '@ledger/ledger/regions/region-directory';
import type { ReadQuery } from '@ledger/read-models/read-schema';
import type { FastifyRequest } from 'fastify';
import { consistencyMetrics } from '../http-metrics';

/**
 * What every controller needs: the command dependencies, the read database, and the two
 * request-level rules — commands carry who/when/idempotency, queries may wait for a token.
 */
@Injectable()
export class Ledger {
  readonly deps: LedgerDeps;
  private readonly consistency: ReturnType<typeof consistencyMetrics>;

  constructor(@Inject(RUNTIME) readonly runtime: LedgerRuntime) {
    this.consistency = consistencyMetrics(runtime.metrics.registry);
    this.deps = {
      store: runtime.store,
      keys: runtime.keys,
      nikHmacKey: runtime.secrets.nikHmacKey,
      regions: regions(),
    };
  }

  get read(): ReadQuery {
    return this.runtime.read.query;
  }

  get regions() {
    return this.deps.regions;
  }

  covers(principal: Principal, code: string): boolean {
    return covers(principal, code, this.deps.regions);
  }

  /**
   * Whether a token reaches a program owned by `ownerRegion`: it covers that region, or its
   * own region lies inside it (a village operator and the regency's program).
   */
  reaches(principal: Principal, ownerRegion: string): boolean {
    return (
      this.covers(principal, ownerRegion) || principal.regions.some((own) => own.startsWith(ownerRegion))
    );
  }

  assertReaches(principal: Principal, ownerRegion: string): void {
    if (!this.reaches(principal, ownerRegion)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'auth.scope', 'Wilayah di luar cakupan token', {
        region: ownerRegion,
      });
    }
  }

  /**
   * 403 unless the token covers `code`. The refusal names the region only when the caller
   * gave it (`echo`); a region found by looking up an id (a person's village) stays unsaid.
   */
  assertCovers(principal: Principal, code: string, echo = true): void {
    if (!this.covers(principal, code)) {
      throw new ProblemException(
        HttpStatus.FORBIDDEN,
        'auth.scope',
        'Wilayah di luar cakupan token',
        echo ? { region: code } : {},
      );
    }
  }

  context(request: FastifyRequest, principal: Principal, body: unknown): CommandContext {
    const header = request.headers['idempotency-key'];
    const idempotencyKey = typeof header === 'string' && header.length > 0 ? header : undefined;
    if (idempotencyKey && idempotencyKey.length > 200) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'request.invalid',
        'Idempotency-Key terlalu panjang',
        {
          errors: [{ field: 'Idempotency-Key', rule: 'maxLength', message: 'paling banyak 200 karakter' }],
        },
      );
    }
    const correlation = request.headers['x-correlation-id'];
    return commandContext(
      { id: principal.id, role: principal.role, region: principal.regions.join(',') },
      {
        idempotencyKey,
        requestHash: hashOf([request.method, request.url, body]),
        ...(typeof correlation === 'string' && /^[\w-]{1,100}$/.test(correlation)
          ? { correlationId: correlation }
          : {}),
        covers: (code) => this.covers(principal, code),
        reaches: (code) => this.reaches(principal, code),
      },
    );
  }

  /**
   * Read-your-writes: waits until the named read models reached `consistentWith` (a write's
   * token), at most the configured time; then 503 with the current position.
   */
  async consistent(consistentWith: string | undefined, readModels: string[]): Promise<void> {
    if (consistentWith === undefined || consistentWith === '') return;
    if (!/^\d{1,16}$/.test(consistentWith)) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'request.invalid',
        'consistentWith harus bilangan bulat',
        {
          errors: [
            {
              field: 'consistentWith',
              rule: 'isInt',
              message: 'consistentWith harus token dari hasil penulisan',
            },
          ],
        },
      );
    }
    const token = Number(consistentWith);
    const { runner, config } = this.runtime;
    const waited = this.consistency.seconds.startTimer();
    const reached = await runner.waitFor(readModels, token, config.consistencyTimeoutMs);
    waited();
    this.consistency.waits.inc({ outcome: reached ? 'reached' : 'timeout' });
    if (reached) return;
    const status = (await runner.status()).filter((s) => readModels.includes(s.name));
    throw new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'consistency.timeout',
      'Model baca belum mencapai token',
      {
        consistentWith: token,
        positions: Object.fromEntries(status.map((s) => [s.name, s.position])),
      },
    );
  }

  /**
   * The log position the given read models answer from (the least advanced of them): what an
   * export says it was read at.
   */
  async readPosition(readModels: string[]): Promise<number> {
    const status = (await this.runtime.runner.status()).filter((s) => readModels.includes(s.name));
    return status.length === 0 ? 0 : Math.min(...status.map((s) => s.position));
  }
}
