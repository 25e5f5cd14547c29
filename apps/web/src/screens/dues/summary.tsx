import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { formatDate, formatPercent, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import type { Program } from '../programs';
import { afterLastWrite, formatYearMonth, readsFinance, type BudgetUse, type MonthFigures } from './dues';
import {
  ArrearsTable,
  Downloads,
  FigureCells,
  FigureHeads,
  FigureTiles,
  MonthsChart,
  TableBox,
} from './figures';

interface FinanceSummary {
  region: string;
  year: number;
  asOf: string;
  programs: ({ id: string; name: string; payer: string; budget: BudgetUse } & MonthFigures)[];
  months: ({ month: string } & MonthFigures)[];
  totals: MonthFigures;
}

/**
 * Iuran: the finance summary of the user's region for the year of the chosen day, as of that
 * day — per program and per month, with the owed-vs-paid chart. A viewer, who reads no finance
 * report, gets the programs whose invoices they may read.
 */
export function DuesSummary({ user }: { user: User }) {
  const [asOf, setAsOf] = useState(todayWib());
  const region = user.regions[0] ?? 'ID';
  const year = asOf.slice(0, 4);
  const url = `/api/finance/summary?region=${region}&year=${year}&asOf=${asOf}`;
  const summary = useGet<FinanceSummary>(readsFinance(user) ? afterLastWrite(url) : null);
  if (!readsFinance(user)) return <ProgramsToRead />;
  if (summary.problem) return <Refusal problem={summary.problem} />;
  const s = summary.data;
  return (
    <section aria-labelledby="dues-title">
      <div class="title-row">
        <h1 id="dues-title">
          {t('dues.title')} <span class="subtitle">— {year}</span>
        </h1>
        <label class="inline">
          {t('dues.asOf')}
          <input
            type="date"
            value={asOf}
            max={todayWib()}
            onChange={(e) => setAsOf((e.target as HTMLInputElement).value || todayWib())}
          />
        </label>
      </div>
      <p>{t('dues.intro')}</p>
      {!s ? (
        <Loading />
      ) : (
        <>
          <p class="muted">{formatDate(s.asOf)}</p>
          <Downloads url={url} name={t('dues.title')} />
          <FigureTiles totals={s.totals} />
          <h2>{t('dues.arrears')}</h2>
          <ArrearsTable arrears={s.totals.arrears} />
          <h2>{t('dues.chartTitle')}</h2>
          <MonthsChart months={s.months} />
          <h2>{t('dues.byProgram')}</h2>
          {s.programs.length === 0 ? (
            <p>{t('dues.noPrograms')}</p>
          ) : (
            <TableBox label={t('dues.byProgram')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('dues.program')}</th>
                    <th scope="col">{t('dues.payer')}</th>
                    <FigureHeads />
                    <th scope="col" class="num">
                      {t('dues.budget')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.programs.map((p) => (
                    <tr key={p.id} data-program={p.id}>
                      <td>
                        <Link href={`/iuran/program/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{p.payer}</td>
                      <FigureCells f={p} />
                      <td class="num">{formatPercent(p.budget.owedPercent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableBox>
          )}
          <h2>{t('dues.months')}</h2>
          <TableBox label={t('dues.months')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dues.month')}</th>
                  <FigureHeads />
                </tr>
              </thead>
              <tbody>
                {s.months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{formatYearMonth(m.month)}</th>
                    <FigureCells f={m} />
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

/** A viewer's Iuran: the programs they may read, each leading to its invoices. */
function ProgramsToRead() {
  const programs = useGet<{ programs: Program[] }>('/api/programs');
  if (programs.problem) return <Refusal problem={programs.problem} />;
  return (
    <section aria-labelledby="dues-title">
      <h1 id="dues-title">{t('dues.title')}</h1>
      <p>{t('dues.choose')}</p>
      {!programs.data ? (
        <Loading />
      ) : programs.data.programs.length === 0 ? (
        <p>{t('dues.noPrograms')}</p>
      ) : (
        <ul>
          {programs.data.programs.map((p) => (
            <li key={p.id}>
              <Link href={`/iuran/program/${p.id}`}>{p.name}</Link> — {p.payer}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
