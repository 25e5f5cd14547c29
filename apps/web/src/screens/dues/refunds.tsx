import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Loading, ProblemBox, useGet } from '../../components/common';
import { Field, GeneralError, textOrUndefined, useSubmit, valueOf } from '../../components/form';
import { formatDate, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { TableBox } from './figures';
import { afterLastWrite, duesWrite, type Invoice } from './dues';

interface RefundableLine {
  invoiceId: string;
  line: number;
  enrollmentId: string;
  endReason: string | null;
  endedOn: string | null;
  amount: number;
}

const REASONS = ['deceased', 'deregistered', 'lapsed', 'duplicate', 'overpaid'] as const;
/** The API takes at most this many lines a request. */
const MAX_LINES = 5_000;
const SHOWN = 200;
const FIELDS = ['reason', 'agreedOn', 'reference', 'lines', 'includeOverpaid'] as const;

/**
 * The invoice's refundable lines (paid months of coverages that ended before the month) and
 * over-payment, from the payer's refundable report; finance and program admins record the
 * refund agreed with BPJS for all of them at once.
 */
export function Refunds({
  invoice,
  refundable,
  canRecord,
  version,
  onRecorded,
}: {
  invoice: Invoice;
  refundable: number;
  canRecord: boolean;
  version: number;
  onRecorded: () => void;
}) {
  const query =
    `/api/finance/refundable?region=${invoice.ownerRegion}` +
    `&payer=${encodeURIComponent(invoice.payer)}&asOf=${todayWib()}`;
  const report = useGet<{ lines: RefundableLine[] }>(refundable > 0 ? afterLastWrite(query) : null, version);
  const lines = (report.data?.lines ?? []).filter((l) => l.invoiceId === invoice.invoiceId);
  const overpaid = invoice.refundableOverpaid;
  const first = lines[0]?.endReason;
  const [reason, setReason] = useState<string>(
    REASONS.find((r) => r === first) ?? (lines.length === 0 && overpaid > 0 ? 'overpaid' : 'deceased'),
  );
  const [agreedOn, setAgreedOn] = useState(todayWib());
  const [reference, setReference] = useState('');
  const [withOverpaid, setWithOverpaid] = useState(true);
  const [recorded, setRecorded] = useState<number | null>(null);
  const { errors, busy, submit } = useSubmit(FIELDS);

  async function send(event: Event) {
    event.preventDefault();
    setRecorded(null);
    const written = await submit(() =>
      duesWrite(() =>
        api<{ amount: number; consistencyToken: number }>(
          'POST',
          `/api/invoices/${invoice.invoiceId}/refunds`,
          {
            lines: lines.slice(0, MAX_LINES).map((l) => l.line),
            includeOverpaid: overpaid > 0 && withOverpaid,
            reason,
            reference: textOrUndefined(reference),
            agreedOn,
          },
        ),
      ),
    );
    if (!written) return;
    setRecorded(written.amount);
    onRecorded();
  }

  const nothing = refundable === 0 && overpaid === 0;
  return (
    <section aria-labelledby="refund-title">
      <h2 id="refund-title">{t('dues.refund.title')}</h2>
      {recorded !== null && (
        <p class="success" role="status">
          {t('dues.refund.recorded', { amount: formatRupiah(recorded) })}
        </p>
      )}
      {report.problem ? (
        <ProblemBox problem={report.problem} />
      ) : nothing ? (
        <p>{t('dues.refund.none')}</p>
      ) : report.loading ? (
        <Loading />
      ) : (
        <>
          {lines.length > 0 && (
            <TableBox label={t('dues.refund.title')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      {t('dues.refund.line')}
                    </th>
                    <th scope="col">{t('dues.refund.enrollment')}</th>
                    <th scope="col">{t('dues.refund.endReason')}</th>
                    <th scope="col">{t('dues.refund.endedOn')}</th>
                    <th scope="col" class="num">
                      {t('dues.refund.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.slice(0, SHOWN).map((l) => (
                    <tr key={l.line}>
                      <td class="num">{l.line}</td>
                      <td>
                        <code>{l.enrollmentId}</code>
                      </td>
                      <td>{l.endReason ? t(`reason.${l.endReason}`, { defaultValue: l.endReason }) : '—'}</td>
                      <td>{l.endedOn ? formatDate(l.endedOn) : '—'}</td>
                      <td class="num">{formatRupiah(l.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableBox>
          )}
          {overpaid > 0 && <p>{t('dues.refund.overpaid', { amount: formatRupiah(overpaid) })}</p>}
          {canRecord && (lines.length > 0 || overpaid > 0) && (
            <form class="card form" onSubmit={send} aria-labelledby="refund-form-title" noValidate>
              <h3 id="refund-form-title">{t('dues.refund.record')}</h3>
              <GeneralError errors={errors} />
              <Field name="reason" id="refund-reason" label={t('dues.refund.reason')} errors={errors}>
                {(props) => (
                  <select {...props} value={reason} onChange={(e) => setReason(valueOf(e))}>
                    {REASONS.map((r) => (
                      <option key={r} value={r}>
                        {t(`dues.refund.reasons.${r}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="agreedOn" id="refund-agreedOn" label={t('dues.refund.agreedOn')} errors={errors}>
                {(props) => (
                  <input {...props} type="date" value={agreedOn} onInput={(e) => setAgreedOn(valueOf(e))} />
                )}
              </Field>
              <Field
                name="reference"
                id="refund-reference"
                label={t('dues.refund.reference')}
                errors={errors}
              >
                {(props) => <input {...props} value={reference} onInput={(e) => setReference(valueOf(e))} />}
              </Field>
              {overpaid > 0 && (
                <label class="inline">
                  <input
                    type="checkbox"
                    checked={withOverpaid}
                    onChange={(e) => setWithOverpaid((e.target as HTMLInputElement).checked)}
                  />
                  {t('dues.refund.includeOverpaid')}
                </label>
              )}
              <div class="actions">
                <button type="submit" disabled={busy}>
                  {t('dues.refund.submit')}
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
