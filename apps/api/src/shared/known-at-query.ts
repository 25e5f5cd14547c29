import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { knownAtParam, resolveKnownAt } from '@ledger/read-models/known-at';
import { InvalidQuery } from '@ledger/read-models/params';
import type { Ledger } from './ledger.providers';
import { parsed } from './query-params';

/**
 * `knownAt` of a query (see `known-at.ts` and the README's "Reports: `date` and `knownAt`"):
 * the log position it stands for, once the named read models have reached it (as
 * `consistentWith` waits, at most the configured time, then 503 with their positions).
 * Undefined when it is absent; anything else is 400 naming `knownAt`.
 */
export async function knownAtQuery(
  ledger: Ledger,
  value: unknown,
  readModels: string[],
): Promise<number | undefined> {
  const input = parsed(() => knownAtParam(value));
  if (input === undefined) return undefined;
  let position: number;
  try {
    position = await resolveKnownAt(ledger.deps.store, input);
  } catch (error) {
    // A token beyond the log's head: refused like any bad parameter.
    if (error instanceof InvalidQuery)
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', error.title, {
        errors: error.errors,
      });
    throw error;
  }
  const { runner, config } = ledger.runtime;
  if (readModels.length > 0 && !(await runner.waitFor(readModels, position, config.consistencyTimeoutMs))) {
    const status = (await runner.status()).filter((s) => readModels.includes(s.name));
    throw new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'consistency.timeout',
      'Model baca belum mencapai posisi knownAt',
      { knownAt: position, positions: Object.fromEntries(status.map((s) => [s.name, s.position])) },
    );
  }
  return position;
}
