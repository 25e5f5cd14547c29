import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isIsoDate } from '@ledger/ledger/shared/dates';

/** A real calendar date written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} harus tanggal YYYY-MM-DD yang valid`, ...options },
      validator: { validate: (value: unknown) => isIsoDate(value) },
    });
}

/**
 * Free text that ends up in the immutable log: no control characters (NUL, ESC, bell…) and
 * not blank. Line breaks are control characters too; these fields are single-line.
 */
export function IsCleanText(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCleanText',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} tidak boleh kosong atau berisi karakter kendali`, ...options },
      validator: {
        validate: (value: unknown) => isCleanText(value),
      },
    });
}

export const isCleanText = (value: unknown): boolean =>
  typeof value === 'string' && !/\p{Cc}/u.test(value) && /\S/u.test(value);
