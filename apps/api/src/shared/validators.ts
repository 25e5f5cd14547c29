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
 * not blank (line breaks are control characters too; these fields are single-line), and no
 * NIK-shaped number (rule `noNik`): a NIK typed into a reason or a note would sit in plain
 * text in a log that can never be rewritten or erased.
 */
export function IsCleanText(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    registerDecorator({
      name: 'isCleanText',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} tidak boleh kosong atau berisi karakter kendali`, ...options },
      validator: {
        validate: (value: unknown) => isCleanText(value),
      },
    });
    registerDecorator({
      name: 'noNik',
      target: object.constructor,
      propertyName,
      options: {
        message:
          `${propertyName} tidak boleh memuat nomor berbentuk NIK (16 digit): ` +
          'teks ini tersimpan permanen di log; tulis tanpa NIK',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !hasNikShapedNumber(value) },
    });
  };
}

/** Sixteen digits in a row, or grouped by single spaces, dots or dashes (`1603 0157 0890 0001`). */
const NIK_SHAPED = /(?<!\d)\d(?:[ .-]?\d){15}(?!\d)/;

export const hasNikShapedNumber = (value: string): boolean => NIK_SHAPED.test(value);

export const isCleanText = (value: unknown): boolean =>
  typeof value === 'string' && !/\p{Cc}/u.test(value) && /\S/u.test(value);
