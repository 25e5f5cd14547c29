import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, GeneralError, textOrUndefined, useSubmit, valueOf } from '../../components/form';
import { formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { duesWrite } from './dues';

const FIELDS = ['amount', 'paidOn', 'reference', 'sp2dNumber'] as const;

/** The amount as typed: digits only make a number; anything else goes as typed for the API to refuse. */
const amountOf = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

/**
 * Records a payment (partial and over-payments allowed): the API allocates it over the lines
 * and refuses what is wrong — a reference used before, a non-integer amount — beside its field.
 */
export function PaymentForm({ invoiceId, onRecorded }: { invoiceId: string; onRecorded: () => void }) {
  const [amount, setAmount] = useState('');
  const [paidOn, setPaidOn] = useState(todayWib());
  const [reference, setReference] = useState('');
  const [sp2d, setSp2d] = useState('');
  const [recorded, setRecorded] = useState<number | null>(null);
  const { errors, busy, submit } = useSubmit(FIELDS);

  async function send(event: Event) {
    event.preventDefault();
    setRecorded(null);
    const written = await submit(() =>
      duesWrite(() =>
        api<{ outstanding: number; consistencyToken: number }>(
          'POST',
          `/api/invoices/${invoiceId}/payments`,
          {
            amount: amountOf(amount),
            paidOn,
            reference,
            sp2dNumber: textOrUndefined(sp2d),
          },
        ),
      ),
    );
    if (!written) return;
    setRecorded(written.outstanding);
    setAmount('');
    setReference('');
    setSp2d('');
    onRecorded();
  }

  return (
    <form class="card form" onSubmit={send} aria-labelledby="payment-title" noValidate>
      <h2 id="payment-title">{t('dues.payment.title')}</h2>
      <GeneralError errors={errors} />
      <Field
        name="amount"
        id="payment-amount"
        label={t('dues.payment.amount')}
        hint={t('dues.payment.amountHint')}
        errors={errors}
      >
        {(props) => (
          <input {...props} inputMode="numeric" value={amount} onInput={(e) => setAmount(valueOf(e))} />
        )}
      </Field>
      <Field name="paidOn" id="payment-paidOn" label={t('dues.payment.paidOn')} errors={errors}>
        {(props) => (
          <input
            {...props}
            type="date"
            value={paidOn}
            max={todayWib()}
            onInput={(e) => setPaidOn(valueOf(e))}
          />
        )}
      </Field>
      <Field
        name="reference"
        id="payment-reference"
        label={t('dues.payment.reference')}
        hint={t('dues.payment.referenceHint')}
        errors={errors}
      >
        {(props) => <input {...props} value={reference} onInput={(e) => setReference(valueOf(e))} />}
      </Field>
      <Field name="sp2dNumber" id="payment-sp2d" label={t('dues.payment.sp2d')} errors={errors}>
        {(props) => <input {...props} value={sp2d} onInput={(e) => setSp2d(valueOf(e))} />}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('dues.payment.submit')}
        </button>
      </div>
      {recorded !== null && (
        <p class="success" role="status">
          {t('dues.payment.recorded', { outstanding: formatRupiah(recorded) })}
        </p>
      )}
    </form>
  );
}
