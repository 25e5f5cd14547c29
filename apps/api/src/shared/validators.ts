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
