import { useState } from 'preact/hooks';
import { api, type User } from '../../api';
import { Link, Loading, ProblemBox, Refusal, useGet } from '../../components/common';
import { formatDate, formatNumber, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { navigate } from '../../router';
import { useSubmit } from '../../components/form';
import {
  afterLastWrite,
  duesWrite,
  formatYearMonth,
  readsFinance,
  writesDues,
  type InvoiceStatus,
  type ProgramMonths,
} from './dues';
import {
  BudgetFacts,
  Downloads,
  FigureCells,
  FigureHeads,
  FigureTiles,
  MonthsChart,
  TableBox,
} from './figures';

/**
 * A program's months as of a day: owed, billed, paid, outstanding, arrears by age, lapsed and
 * refundable, each month leading to its invoice — or, for finance and program admins, issuing
 * it when it has none yet. A viewer reads the program's invoices only.
 */
export function ProgramDues({ id, user }: { id: string; user: User }) {
  const [asOf, setAsOf] = useState(todayWib());
  const url = `/api/finance/programs/${id}/months?asOf=${asOf}`;
  const months = useGet<ProgramMonths>(readsFinance(user) ? afterLastWrite(url) : null);
  const issuing = useSubmit(['month']);
  const [attempted, setAttempted] = useState<string | null>(null);
  if (!readsFinance(user)) return <ProgramInvoices id={id} />;
  if (months.problem) return <Refusal problem={months.problem} />;
  const m = months.data;

  async function issue(month: string) {
    setAttempted(month);
    const written = await issuing.submit(() =>
      duesWrite(() =>
        api<{ invoiceId: string; consistencyToken: number }>('POST', `/api/programs/${id}/invoices`, {
          month,
        }),
      ),
    );
    if (written) navigate(`/iuran/tagihan/${written.invoiceId}`);
  }

  return (
    <section aria-labelledby="program-dues-title">
      <Link href="/iuran">← {t('dues.back')}</Link>
      <div class="title-row">
        <h1 id="program-dues-title">
          {t('dues.title')}
          {m && <span class="subtitle"> — {m.program.name}</span>}
        </h1>
        <label class="inline">
          {t('dues.asOf')}
          <input
            type="date"
            value={asOf}
            onChange={(e) => setAsOf((e.target as HTMLInputElement).value || todayWib())}
          />
        </label>
      </div>
      {!m ? (
        <Loading />
      ) : (
        <>
          <p class="muted">
            {m.program.payer} · {formatDate(m.asOf)}
          </p>
          <Downloads url={url} name={m.program.name} />
          <FigureTiles totals={m.totals} />
          <h2>{t('dues.budget')}</h2>
          <BudgetFacts budget={m.budget} />
          <h2>{t('dues.chartTitle')}</h2>
          <MonthsChart months={m.months} />
          <h2>{t('dues.months')}</h2>
          {issuing.errors.general && <ProblemBox problem={issuing.errors.general} />}
          <TableBox label={t('dues.months')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dues.month')}</th>
                  <th scope="col">{t('dues.status')}</th>
                  <th scope="col">{t('dues.dueDate')}</th>
                  <th scope="col" class="num">
                    {t('dues.lines')}
                  </th>
                  <FigureHeads />
                </tr>
              </thead>
              <tbody>
                {m.months.map((row) => (
                  <tr key={row.month} data-month={row.month}>
                    <th scope="row">
                      {row.invoiceId ? (
                        <Link href={`/iuran/tagihan/${row.invoiceId}`}>{formatYearMonth(row.month)}</Link>
                      ) : (
                        formatYearMonth(row.month)
                      )}
                    </th>
                    <td>
                      {row.status === 'notIssued' && writesDues(user) ? (
                        <button type="button" disabled={issuing.busy} onClick={() => issue(row.month)}>
                          {issuing.busy && attempted === row.month ? (
                            t('dues.issue.busy')
                          ) : (
                            <>
                              {t('dues.issue.short')}
                              {/* The month is read out with the button, not shown in every row. */}
                              <span class="visually-hidden">
                                {t('dues.issue.rest', { month: formatYearMonth(row.month) })}
                              </span>
                            </>
                          )}
                        </button>
                      ) : (
                        t(`dues.statuses.${row.status}`)
                      )}
                      {attempted === row.month && issuing.errors.fields.month && (
                        <p class="field-error">{issuing.errors.fields.month.join('; ')}</p>
                      )}
                    </td>
                    <td>{row.dueDate ? formatDate(row.dueDate) : '—'}</td>
                    <td class="num">{formatNumber(row.lines)}</td>
                    <FigureCells f={row} />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        </>
      )}
    </section>
  );
}

interface InvoiceSummary {
  invoiceId: string;
  month: string;
  dueDate: string;
  status: InvoiceStatus;
  lineCount: number;
  totalAmount: number;
  paid: number;
  outstanding: number;
}

/** A program's invoices as the invoices endpoint lists them (what a viewer may read). */
function ProgramInvoices({ id }: { id: string }) {
  const invoices = useGet<{ invoices: InvoiceSummary[] }>(`/api/programs/${id}/invoices`);
  if (invoices.problem) return <Refusal problem={invoices.problem} />;
  return (
    <section aria-labelledby="program-dues-title">
      <Link href="/iuran">← {t('dues.back')}</Link>
      <h1 id="program-dues-title">{t('dues.title')}</h1>
      {!invoices.data ? (
        <Loading />
      ) : invoices.data.invoices.length === 0 ? (
        <p>{t('dues.statuses.notIssued')}</p>
      ) : (
        <TableBox label={t('dues.months')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dues.month')}</th>
                <th scope="col">{t('dues.status')}</th>
                <th scope="col">{t('dues.dueDate')}</th>
                <th scope="col" class="num">
                  {t('dues.lines')}
                </th>
                <th scope="col" class="num">
                  {t('dues.owed')}
                </th>
                <th scope="col" class="num">
                  {t('dues.paid')}
                </th>
                <th scope="col" class="num">
                  {t('dues.outstanding')}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.invoices.map((i) => (
                <tr key={i.invoiceId}>
                  <th scope="row">
                    <Link href={`/iuran/tagihan/${i.invoiceId}`}>{formatYearMonth(i.month)}</Link>
                  </th>
                  <td>{t(`dues.statuses.${i.status}`)}</td>
                  <td>{formatDate(i.dueDate)}</td>
                  <td class="num">{formatNumber(i.lineCount)}</td>
                  <td class="num">{formatRupiah(i.totalAmount)}</td>
                  <td class="num">{formatRupiah(i.paid)}</td>
                  <td class="num">{formatRupiah(i.outstanding)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </section>
  );
}
