import { HttpStatus, ParseIntPipe, ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type ProblemField } from './problem';

function flatten(errors: ValidationError[], parent = ''): ProblemField[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The global pipe: unknown fields are refused, and every violated rule is named per field. */
export function ledgerValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
        errors: flatten(errors),
      }),
  });
}

/** A refused path parameter, in the same problem shape as a refused body: `errors` names the parameter and the rule. */
const invalidParam = (field: string, rule: string, message: string) => () =>
  new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
    errors: [{ field, rule, message }],
  });

/** `@Param('id', uuidParam())`: 400 with `errors: [{ field: 'id', rule: 'isUuid' }]` for anything but a UUID. */
export function uuidParam(field = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: invalidParam(field, 'isUuid', `${field} harus UUID`) });
}

/** `@Param('year', intParam('year'))`: 400 with `errors: [{ field, rule: 'isInt' }]` for anything but a whole number. */
export function intParam(field: string): ParseIntPipe {
  return new ParseIntPipe({ exceptionFactory: invalidParam(field, 'isInt', `${field} harus bilangan bulat`) });
}
