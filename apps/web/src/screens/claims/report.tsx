import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { CountChart } from '../../components/charts';
import { formatMonth, formatNumber, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';

interface Report {
  totals: { claims: number; amount: number; paidAmount: number };
  groups: { regency: string; month: string; claims: number; amount: number; paidAmount: number }[];
  paymentDelay: { regency: string; paidClaims: number; medianDays: number; p90Days: number }[];
}

/** The claims report of the user's region for a year: totals, claims per month (a chart), days to pay. */
export function ClaimsReport({ user }: { user: User }) {
  const region = user.regions[0] ?? '';
  const [year, setYear] = useState(Number(todayWib().slice(0, 4)));
  const query = `region=${region}&year=${year}`;
  const report = useGet<Report>(`/api/claims/report?${query}`);
  if (report.problem) return <Refusal problem={report.problem} />;
  const r = report.data;
  const byMonth = new Map<string, number>();
  for (const g of r?.groups ?? []) byMonth.set(g.month, (byMonth.get(g.month) ?? 0) + g.claims);
  const months = [...byMonth.keys()].sort();
  return (
    <section aria-labelledby="claims-report-title">
      <Link href="/klaim">← {t('claims.back')}</Link>
      <h1 id="claims-report-title">{t('claims.reportTitle')}</h1>
      <div class="field">
        <label for="claims-year">{t('claims.year')}</label>
        <input
          id="claims-year"
          type="number"
          min={2000}
          max={2100}
          value={year}
          onChange={(e) => setYear(Number((e.target as HTMLInputElement).value))}
        />
      </div>
      <p>
        <a href={`/api/claims/report?${query}&format=csv`}>{t('claims.downloadCsv')}</a> ·{' '}
        <a href={`/api/claims/report?${query}&format=xlsx`}>{t('claims.downloadXlsx')}</a>
      </p>
      {!r || report.loading ? (
        <Loading />
      ) : (
        <>
          <div class="tiles">
            <div class="tile">
              <h2>{t('claims.claimsCount')}</h2>
              <p class="figure" data-testid="report-claims">
                {formatNumber(r.totals.claims)}
              </p>
            </div>
            <div class="tile">
              <h2>{t('claims.amount')}</h2>
              <p class="figure" data-testid="report-amount">
                {formatRupiah(r.totals.amount)}
              </p>
            </div>
            <div class="tile">
              <h2>{t('claims.paidAmount')}</h2>
              <p class="figure" data-testid="report-paid">
                {formatRupiah(r.totals.paidAmount)}
              </p>
            </div>
          </div>
          <h2>{t('claims.byMonth')}</h2>
          <CountChart
            labels={months.map((m) => formatMonth(`${m}-01`))}
            values={months.map((m) => byMonth.get(m) ?? 0)}
            label={t('claims.byMonthLabel')}
          />
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('claims.month')}</th>
                  <th scope="col" class="num">
                    {t('claims.claimsCount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {months.map((m) => (
                  <tr key={m} data-month={m}>
                    <td>{formatMonth(`${m}-01`)}</td>
                    <td class="num">{formatNumber(byMonth.get(m) ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('claims.paymentDelay')}</h2>
          {r.paymentDelay.length === 0 ? (
            <p>{t('claims.noPaid')}</p>
          ) : (
            <div class="table-wrap">
              <table data-testid="payment-delay">
                <thead>
                  <tr>
                    <th scope="col">{t('claims.regency')}</th>
                    <th scope="col" class="num">
                      {t('claims.paidClaims')}
                    </th>
                    <th scope="col" class="num">
                      {t('claims.median')}
                    </th>
                    <th scope="col" class="num">
                      {t('claims.p90')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.paymentDelay.map((d) => (
                    <tr key={d.regency}>
                      <td>{d.regency}</td>
                      <td class="num">{formatNumber(d.paidClaims)}</td>
                      <td class="num">{formatNumber(d.medianDays)}</td>
                      <td class="num">{formatNumber(d.p90Days)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
