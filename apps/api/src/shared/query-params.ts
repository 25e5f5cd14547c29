import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { knownAtParam, resolveKnownAt } from '@ledger/read-models/known-at';
import { InvalidQuery } from '@ledger/read-models/params';
import type { Ledger } from './ledger.providers';

/** Reads query parameters; bad ones are 400 problem details naming each field and rule. */
export function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asProblem(error);
  }
}

function asProblem(error: unknown): unknown {
  if (error instanceof InvalidQuery)
    return new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', error.title, {
      errors: error.errors,
    });
  return error;
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

/**
 * `knownAt` as a log position (undefined when absent), once the named read models have
 * reached it, as `consistentWith` waits. A bad value, or a token beyond the log's head, is a
 * 400 naming `knownAt`.
 */
export async function knownAtPosition(
  ledger: Ledger,
  value: unknown,
  readModels: string[],
): Promise<number | undefined> {
  const input = parsed(() => knownAtParam(value));
  if (input === undefined) return undefined;
  const position = await resolveKnownAt(ledger.runtime.store, input).catch((error: unknown) => {
    throw asProblem(error);
  });
  await ledger.consistent(String(position), readModels);
  return position;
}
