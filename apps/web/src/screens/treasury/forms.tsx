import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, GeneralError, useSubmit, valueOf } from '../../components/form';
import { todayWib } from '../../format';
import { t } from '../../i18n/i18n';

/** One field of a treasury form: the API's name, its label key, its kind of input. */
interface Spec {
  name: string;
  label: string;
  kind?: 'text' | 'date' | 'amount';
  options?: { value: string; label: string }[];
  initial?: string;
}

/** Digits make a number; anything else goes as typed for the API to refuse beside its field. */
const amountOf = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

/**
 * A treasury write as a form: each field's value (amounts as whole rupiah), the fiscal year
 * added where the API wants it, the API's refusals beside their fields.
 */
export function TreasuryForm({
  id,
  title,
  url,
  specs,
  extra,
  submitLabel,
  onWritten,
}: {
  id: string;
  title: string;
  url: string;
  specs: Spec[];
  extra?: Record<string, unknown>;
  submitLabel: string;
  onWritten: () => void;
}) {
  const initial = Object.fromEntries(
    specs.map((s) => [s.name, s.initial ?? (s.kind === 'date' ? todayWib() : (s.options?.[0]?.value ?? ''))]),
  );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [done, setDone] = useState(false);
  const { errors, busy, submit } = useSubmit(specs.map((s) => s.name));
  const send = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const body: Record<string, unknown> = { ...extra };
    for (const s of specs) {
      const value = values[s.name] ?? '';
      if (value.trim() === '' && s.kind !== 'amount') continue;
      body[s.name] = s.kind === 'amount' ? amountOf(value) : value.trim();
    }
    const written = await submit(() => api('POST', url, body));
    if (written === undefined) return;
    setDone(true);
    setValues(initial);
    onWritten();
  };
  return (
    <form class="card form" onSubmit={send} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>{title}</h3>
      <GeneralError errors={errors} />
      {specs.map((s) => (
        <Field key={s.name} name={s.name} id={`${id}-${s.name}`} label={t(s.label)} errors={errors}>
          {(props) =>
            s.options ? (
              <select
                {...props}
                value={values[s.name]}
                onChange={(e) => setValues({ ...values, [s.name]: (e.target as HTMLSelectElement).value })}
              >
                {s.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : s.kind === 'date' ? (
              <input
                {...props}
                type="date"
                value={values[s.name]}
                onInput={(e) => setValues({ ...values, [s.name]: valueOf(e) })}
              />
            ) : (
              <input
                {...props}
                inputMode={s.kind === 'amount' ? 'numeric' : undefined}
                value={values[s.name]}
                onInput={(e) => setValues({ ...values, [s.name]: valueOf(e) })}
              />
            )
          }
        </Field>
      ))}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
      </div>
      {done && (
        <p class="success" role="status">
          {t('treasury.written')}
        </p>
      )}
    </form>
  );
}
