import {
  HttpStatus,
  ParseIntPipe,
  ParseUUIDPipe,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { ProblemException, type ProblemField } from './problem';

function flatten(errors: ValidationError[], parent = ''): ProblemField[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A missing field breaks every rule on it (type, minimum, maximum…); optional fields are
    // never checked when absent, so this one is required, and that is what the caller needs.
    if (error.value === undefined && error.constraints) {
      return [{ field, rule: 'required', message: `${field} wajib diisi` }];
    }
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
const MAX_DEPTH = 32;

const refused = (errors: ProblemField[]) =>
  new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', { errors });

/**
 * What class-transformer cannot be trusted with: keys named after Object.prototype members
 * (it drops them silently, so `forbidNonWhitelisted` never sees them) and nesting deep enough
 * to overflow its recursion. Both are refused before it runs.
 */
function screen(value: unknown, path: string, depth: number, errors: ProblemField[]): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) {
    errors.push({
      field: path || 'body',
      rule: 'maxDepth',
      message: `nesting deeper than ${MAX_DEPTH} levels`,
    });
    return;
  }
  for (const key of Object.keys(value)) {
    const field = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key) || key === '__proto__' || key === 'prototype') {
      errors.push({ field, rule: 'whitelistValidation', message: `property ${key} should not exist` });
    } else screen((value as Record<string, unknown>)[key], field, depth + 1, errors);
    if (errors.length > 20) return;
  }
}

class LedgerValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      // A JSON body is an object: null, an array, a scalar or a non-JSON body (multipart) is refused.
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw refused([{ field: 'body', rule: 'isObject', message: 'body harus objek JSON' }]);
      }
      const errors: ProblemField[] = [];
      screen(value, '', 0, errors);
      if (errors.length > 0) throw refused(errors);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields are refused, and every violated rule is named per field. */
export function ledgerValidationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => refused(flatten(errors)),
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
  return new ParseIntPipe({
    exceptionFactory: invalidParam(field, 'isInt', `${field} harus bilangan bulat`),
  });
}
