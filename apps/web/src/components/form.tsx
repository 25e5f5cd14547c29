import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, problemText, type Problem } from '../api';
import { hasKey, t } from '../i18n/i18n';

/**
 * Forms whose refusals are shown beside their fields: each of the API's `errors` naming a
 * field of the form goes under that field (read out with it through aria-describedby); a
 * domain rule without a field goes to the field a form names for it (`ruleFields`); what is
 * left is shown above the form.
 */

/**
 * A refused field in the user's language: the catalogue's text for its rule (with the limit the
 * API's message ends with: "quota must not be less than 1"), else the API's own message.
 */
function ruleText(rule: string, message: string): string {
  const limit = /(\d+)(?: characters)?$/.exec(message)?.[1] ?? '';
  // class-validator names both ends of a length `isLength`; the message says which one was missed.
  const key = rule === 'isLength' ? (/longer/.test(message) ? 'minLength' : 'maxLength') : rule;
  const own = hasKey(`rule.${key}`) ? t(`rule.${key}`, { limit }) : '';
  return own || message;
}

export interface FormErrors {
  /** Texts by field name. */
  fields: Record<string, string[]>;
  /** The problem when something is not about one of the form's fields, else null. */
  general: Problem | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

/** Splits a refusal over the form's fields (`fields`), moving field-less rules by `ruleFields`. */
export function formErrors(
  problem: Problem,
  fields: readonly string[],
  ruleFields: Record<string, string> = {},
): FormErrors {
  const byField: Record<string, string[]> = {};
  let unplaced = false;
  for (const error of problem.errors ?? []) {
    const field = error.field ?? ruleFields[error.rule];
    if (field && fields.includes(field)) (byField[field] ??= []).push(ruleText(error.rule, error.message));
    else unplaced = true;
  }
  if (!problem.errors?.length) unplaced = true;
  return { fields: byField, general: unplaced ? problem : null };
}

/**
 * Runs a form's write: while it runs the form is busy, a refusal becomes the form's errors.
 * Returns what the write answered, or undefined when it was refused.
 */
export function useSubmit(fields: readonly string[], ruleFields: Record<string, string> = {}) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const submit = async <T,>(write: () => Promise<T>): Promise<T | undefined> => {
    setErrors(NO_ERRORS);
    setBusy(true);
    try {
      return await write();
    } catch (error) {
      setErrors(formErrors(error instanceof ApiError ? error.problem : { status: 0 }, fields, ruleFields));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, submit };
}

/** The refusal above a form: its text, and the fields it names that the form does not show. */
export function GeneralError({ errors }: { errors: FormErrors }) {
  if (!errors.general) return null;
  const others = (errors.general.errors ?? []).filter(
    (e) => !Object.keys(errors.fields).includes(e.field ?? ''),
  );
  return (
    <div class="problem" role="alert">
      <p>{problemText(errors.general)}</p>
      {others.length > 0 && (
        <ul>
          {others.map((e) => (
            <li key={`${e.field}-${e.rule}`}>
              {e.field
                ? t('problem.field', { field: e.field, message: ruleText(e.rule, e.message) })
                : e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type InputProps = {
  /** The API's name of the field, e.g. `period.from`. */
  name: string;
  /** Unique on the page: the form's prefix and the name. */
  id: string;
  label: string;
  errors: FormErrors;
  hint?: string;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ComponentChildren;
};

/** A labelled field with its hint and the API's errors for it right under it. */
export function Field({ name, id, label, errors, hint, children }: InputProps) {
  const own = errors.fields[name] ?? [];
  const described = [hint ? `${id}-hint` : '', own.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children({
        id,
        name,
        'aria-invalid': own.length > 0,
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {own.length > 0 && (
        <p class="field-error" id={`${id}-error`} data-field={name}>
          {own.join('; ')}
        </p>
      )}
    </div>
  );
}

/** The value of the input an event came from. */
export const valueOf = (e: Event) => (e.target as HTMLInputElement).value;

/** A number field's value for the API: a number when one was typed, else undefined (then omitted). */
export const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text.trim()));

/** A text field's value for the API: undefined when empty, so an optional field is omitted. */
export const textOrUndefined = (text: string) => (text.trim() === '' ? undefined : text.trim());
