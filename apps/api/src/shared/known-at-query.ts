import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { knownAtParam, resolveKnownAt } from '@ledger/read-models/known-at';
import type { Ledger } from './ledger.providers';
import { asProblem, parsed } from './query-params';

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
  // A token beyond the log's head is refused like any bad parameter.
  const position = await resolveKnownAt(ledger.deps.store, input).catch((error: unknown) => {
    throw asProblem(error);
  });
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

/** How OpenAPI declares `knownAt`, the same on every report that takes it. */
export const KNOWN_AT_QUERY = {
  name: 'knownAt',
  required: false,
  description:
    'As the ledger knew it then: a consistency token (the log position a write returned), an ISO-8601 instant ' +
    'with its offset, or a day YYYY-MM-DD (the end of that day in WIB). The report counts exactly the events at ' +
    'or before that position; `date` stays the day the report is about (the effective date). The answer echoes ' +
    'the resolved position as `knownAt` (CSV/XLSX: in the file name). Absent: as the ledger knows it now.',
} as const;
