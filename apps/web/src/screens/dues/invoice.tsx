import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { formatDate, formatNumber, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { TableBox } from './figures';
import { BpjsBill } from './bpjs-bill';
import {
  afterLastWrite,
  formatYearMonth,
  invoiceParts,
  readsFinance,
  writesDues,
  type Invoice,
  type ProgramMonths,
} from './dues';
import { PaymentForm } from './payment-form';
import { Refunds } from './refunds';

/**
 * One invoice: its control totals (as issued and now), status and money, its payments, and —
 * for finance and program admins — recording a payment, the BPJS bill and refunds. The invoice
 * is read from its own stream (never behind a write); the bill and refundable lines are looked
 * up only when the finance read model says the month has them, so no page asks for what is not there.
 */
export function InvoiceDetail({ id, user, csrf }: { id: string; user: User; csrf: string | null }) {
  const [version, setVersion] = useState(0);
  const invoice = useGet<Invoice>(`/api/invoices/${id}`, version);
  const { programId, month } = invoiceParts(id);
  const months = useGet<ProgramMonths>(
    readsFinance(user)
      ? afterLastWrite(`/api/finance/programs/${programId}/months?asOf=${todayWib()}`)
      : null,
    version,
  );
  if (invoice.problem) return <Refusal problem={invoice.problem} />;
  const i = invoice.data;
  if (!i) return <Loading />;
  const row = months.data?.months.find((m) => m.month === month);
  const changed = () => setVersion((v) => v + 1);
  const totals = (participants: number, amount: number) =>
    t('dues.invoice.participantsAmount', {
      participants: formatNumber(participants),
      amount: formatRupiah(amount),
    });

  return (
    <section aria-labelledby="invoice-title">
      <Link href={`/iuran/program/${i.programId}`}>← {t('dues.backProgram')}</Link>
      <h1 id="invoice-title">{t('dues.invoice.title', { month: formatYearMonth(i.month) })}</h1>
      <dl class="facts">
        <dt>{t('dues.payer')}</dt>
        <dd>{i.payer}</dd>
        <dt>{t('dues.status')}</dt>
        <dd data-testid="invoice-status">{t(`dues.statuses.${i.status}`)}</dd>
        <dt>{t('dues.invoice.issuedOn')}</dt>
        <dd>{formatDate(i.issuedOn)}</dd>
        <dt>{t('dues.dueDate')}</dt>
        <dd>{formatDate(i.dueDate)}</dd>
        <dt>{t('dues.invoice.lineAmount')}</dt>
        <dd>{formatRupiah(i.lineAmount)}</dd>
        <dt>{t('dues.invoice.issuedTotals')}</dt>
        <dd data-testid="issued-totals">{totals(i.issued.lineCount, i.issued.totalAmount)}</dd>
        <dt>{t('dues.invoice.currentTotals')}</dt>
        <dd>{totals(i.lineCount, i.totalAmount)}</dd>
        {i.cancelledLineCount > 0 && (
          <>
            <dt>{t('dues.invoice.cancelledLines')}</dt>
            <dd>{formatNumber(i.cancelledLineCount)}</dd>
          </>
        )}
        <dt>{t('dues.paid')}</dt>
        <dd data-testid="invoice-paid">{formatRupiah(i.paid)}</dd>
        <dt>{t('dues.outstanding')}</dt>
        <dd data-testid="invoice-outstanding">{formatRupiah(i.outstanding)}</dd>
        {i.overpaid > 0 && (
          <>
            <dt>{t('dues.invoice.overpaid')}</dt>
            <dd>{formatRupiah(i.overpaid)}</dd>
          </>
        )}
        {i.refunded > 0 && (
          <>
            <dt>{t('dues.invoice.refunded')}</dt>
            <dd>{formatRupiah(i.refunded)}</dd>
          </>
        )}
      </dl>

      <h2>{t('dues.invoice.payments')}</h2>
      {i.payments.length === 0 ? (
        <p>{t('dues.invoice.noPayments')}</p>
      ) : (
        <TableBox label={t('dues.invoice.payments')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dues.payment.paidOn')}</th>
                <th scope="col" class="num">
                  {t('dues.refund.amount')}
                </th>
                <th scope="col">{t('dues.invoice.reference')}</th>
                <th scope="col">{t('dues.invoice.sp2d')}</th>
                <th scope="col">{t('dues.invoice.when')}</th>
              </tr>
            </thead>
            <tbody>
              {i.payments.map((p) => (
                <tr key={p.paymentId}>
                  <td>{formatDate(p.paidOn)}</td>
                  <td class="num">{formatRupiah(p.amount)}</td>
                  <td>{p.reference}</td>
                  <td>{p.sp2dNumber ?? '—'}</td>
                  <td>{p.late ? t('dues.invoice.late') : t('dues.invoice.onTime')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
      {writesDues(user) && i.status !== 'cancelled' && (
        <PaymentForm invoiceId={i.invoiceId} onRecorded={changed} />
      )}

      {readsFinance(user) && row && (
        <>
          <BpjsBill
            invoiceId={i.invoiceId}
            hasBill={row.billedByBpjs !== null}
            canUpload={writesDues(user) && i.status !== 'cancelled'}
            csrf={csrf}
            version={version}
            onRecorded={changed}
          />
          <Refunds
            invoice={i}
            refundable={row.invoiceId === i.invoiceId ? row.refundable : 0}
            canRecord={writesDues(user)}
            version={version}
            onRecorded={changed}
          />
        </>
      )}
    </section>
  );
}
