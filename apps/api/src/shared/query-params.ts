import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { InvalidQuery } from '@ledger/read-models/params';

/** Reads query parameters; bad ones are 400 problem details naming each field and rule. */
export function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asProblem(error);
  }
}

/** A refused parameter as a 400 problem naming it; any other error as it is. */
export function asProblem(error: unknown): unknown {
  if (error instanceof InvalidQuery)
    return new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', error.title, {
      errors: error.errors,
    });
  return error;
}
