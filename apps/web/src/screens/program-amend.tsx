import { useState } from 'preact/hooks';
import { api } from '../api';
import {
  Field,
  GeneralError,
  numberOrUndefined,
  textOrUndefined,
  useSubmit,
  valueOf,
} from '../components/form';
import { t } from '../i18n/i18n';
import { BackfillFields } from './program-establish';

type Written = { consistencyToken: number };
type Props = { programId: string; onAmended: (written: Written, notice: string) => void };

/**
 * The amendments of an open program a program admin makes on its detail screen: the quota,
 * the period, the closure. Each is its own form with its own errors; after one is accepted the
 * screen reads the program again at the write's consistency token.
 */
export function AmendProgram(props: Props & { quota: number; period: { from: string; to: string } }) {
  return (
    <section aria-labelledby="amend-title">
      <h2 id="amend-title">{t('programs.amend.title')}</h2>
      <div class="amend-forms">
        <AmendQuota {...props} />
        <AmendPeriod {...props} />
        <CloseProgram {...props} />
      </div>
    </section>
  );
}

function AmendQuota({ programId, onAmended, quota }: Props & { quota: number }) {
  const [form, setForm] = useState({ quota: String(quota), reason: '' });
  const { errors, busy, submit } = useSubmit(['quota', 'reason'], {
    'program.quota.belowUse': 'quota',
    'program.budget': 'quota',
  });
  const save = async (e: Event) => {
    e.preventDefault();
    const written = await submit(() =>
      api<Written>('POST', `/api/programs/${programId}/quota`, {
        quota: numberOrUndefined(form.quota),
        reason: textOrUndefined(form.reason),
      }),
    );
    if (written) onAmended(written, t('programs.amend.quotaDone'));
  };
  return (
    <form class="card form" aria-labelledby="amend-quota-title" onSubmit={save} noValidate>
      <h3 id="amend-quota-title">{t('programs.amend.quota')}</h3>
      <GeneralError errors={errors} />
      <Field name="quota" id="amend-quota" label={t('programs.amend.newQuota')} errors={errors}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={1}
            step={1}
            value={form.quota}
            onInput={(e) => setForm({ ...form, quota: valueOf(e) })}
          />
        )}
      </Field>
      <Field name="reason" id="amend-quota-reason" label={t('programs.amend.reason')} errors={errors}>
        {(p) => (
          <input {...p} value={form.reason} onInput={(e) => setForm({ ...form, reason: valueOf(e) })} />
        )}
      </Field>
      <button type="submit" disabled={busy}>
        {t('programs.amend.saveQuota')}
      </button>
    </form>
  );
}

function AmendPeriod({ programId, onAmended, period }: Props & { period: { from: string; to: string } }) {
  const [form, setForm] = useState({ ...period, reason: '', backfillReason: '', backfillNote: '' });
  const { errors, busy, submit } = useSubmit(['from', 'to', 'reason', 'backfillReason', 'backfillNote'], {
    'program.period.order': 'to',
    'program.budget': 'to',
    'backfill.reasonRequired': 'backfillReason',
    'backfill.forbidden': 'backfillReason',
  });
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  const save = async (e: Event) => {
    e.preventDefault();
    const written = await submit(() =>
      api<Written>('POST', `/api/programs/${programId}/period`, {
        from: form.from,
        to: form.to,
        reason: textOrUndefined(form.reason),
        backfillReason: textOrUndefined(form.backfillReason),
        backfillNote: textOrUndefined(form.backfillNote),
      }),
    );
    if (written) onAmended(written, t('programs.amend.periodDone'));
  };
  return (
    <form class="card form" aria-labelledby="amend-period-title" onSubmit={save} noValidate>
      <h3 id="amend-period-title">{t('programs.amend.period')}</h3>
      <GeneralError errors={errors} />
      <Field name="from" id="amend-period-from" label={t('programs.establish.from')} errors={errors}>
        {(p) => <input {...p} type="date" value={form.from} onInput={set('from')} />}
      </Field>
      <Field name="to" id="amend-period-to" label={t('programs.establish.to')} errors={errors}>
        {(p) => <input {...p} type="date" value={form.to} onInput={set('to')} />}
      </Field>
      <Field name="reason" id="amend-period-reason" label={t('programs.amend.reason')} errors={errors}>
        {(p) => <input {...p} value={form.reason} onInput={set('reason')} />}
      </Field>
      <BackfillFields
        prefix="amend-period"
        errors={errors}
        reason={form.backfillReason}
        note={form.backfillNote}
        onReason={set('backfillReason')}
        onNote={set('backfillNote')}
      />
      <button type="submit" disabled={busy}>
        {t('programs.amend.savePeriod')}
      </button>
    </form>
  );
}

function CloseProgram({ programId, onAmended, period }: Props & { period: { from: string; to: string } }) {
  const [form, setForm] = useState({ closedOn: period.to, reason: '', backfillReason: '', backfillNote: '' });
  const [confirming, setConfirming] = useState(false);
  const { errors, busy, submit } = useSubmit(['closedOn', 'reason', 'backfillReason', 'backfillNote'], {
    'backfill.reasonRequired': 'backfillReason',
    'backfill.forbidden': 'backfillReason',
  });
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  const save = async (e: Event) => {
    e.preventDefault();
    // Closing cannot be undone: the first press asks, the second closes.
    if (!confirming) {
      setConfirming(true);
      return;
    }
    const written = await submit(() =>
      api<Written>('POST', `/api/programs/${programId}/closure`, {
        closedOn: form.closedOn,
        reason: textOrUndefined(form.reason),
        backfillReason: textOrUndefined(form.backfillReason),
        backfillNote: textOrUndefined(form.backfillNote),
      }),
    );
    setConfirming(false);
    if (written) onAmended(written, t('programs.amend.closeDone'));
  };
  return (
    <form class="card form" aria-labelledby="amend-close-title" onSubmit={save} noValidate>
      <h3 id="amend-close-title">{t('programs.amend.close')}</h3>
      <GeneralError errors={errors} />
      <Field name="closedOn" id="amend-close-on" label={t('programs.amend.closedOn')} errors={errors}>
        {(p) => <input {...p} type="date" value={form.closedOn} onInput={set('closedOn')} />}
      </Field>
      <Field name="reason" id="amend-close-reason" label={t('programs.amend.reason')} errors={errors}>
        {(p) => <input {...p} value={form.reason} onInput={set('reason')} />}
      </Field>
      <BackfillFields
        prefix="amend-close"
        errors={errors}
        reason={form.backfillReason}
        note={form.backfillNote}
        onReason={set('backfillReason')}
        onNote={set('backfillNote')}
      />
      {confirming && (
        <p class="warning" role="alert">
          {t('programs.amend.closeConfirm')}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {confirming ? t('programs.amend.closeYes') : t('programs.amend.closeProgram')}
        </button>
        {confirming && (
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {t('programs.establish.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
