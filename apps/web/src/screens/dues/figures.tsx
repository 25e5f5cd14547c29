import type { ComponentChildren } from 'preact';
import { OwedPaidChart } from '../../components/dues-chart';
import { formatNumber, formatPercent, formatRupiah } from '../../format';
import { t } from '../../i18n/i18n';
import { arrearsTotal, formatYearMonth, type BudgetUse, type MonthFigures } from './dues';

const billed = (value: number | null) => (value === null ? '—' : formatRupiah(value));

/** The headline figures of a sum of months (a region's year, a program's months). */
export function FigureTiles({ totals }: { totals: MonthFigures }) {
  const tiles: [string, string, string][] = [
    ['owed', t('dues.owed'), formatRupiah(totals.owed)],
    ['billed', t('dues.billed'), billed(totals.billedByBpjs)],
    ['paid', t('dues.paid'), formatRupiah(totals.paid)],
    ['outstanding', t('dues.outstanding'), formatRupiah(totals.outstanding)],
    ['arrears', t('dues.arrears'), formatRupiah(arrearsTotal(totals.arrears))],
    ['lapsed', t('dues.lapsed'), formatNumber(totals.lapsedWorkers)],
    ['refundable', t('dues.refundable'), formatRupiah(totals.refundable)],
  ];
  return (
    <div class="tiles">
      {tiles.map(([id, label, value]) => (
        <div class="tile" key={id}>
          <h2>{label}</h2>
          <p class="figure" data-testid={`dues-${id}`}>
            {value}
          </p>
        </div>
      ))}
    </div>
  );
}

/** Arrears by age, as the API buckets them (≤1, 2, 3, >3 months after the due date). */
export function ArrearsTable({ arrears }: { arrears: MonthFigures['arrears'] }) {
  const rows: [string, number][] = [
    ['dues.arrearsUpTo1', arrears.upTo1],
    ['dues.arrears2', arrears.months2],
    ['dues.arrears3', arrears.months3],
    ['dues.arrearsOver3', arrears.over3],
  ];
  return (
    <table>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{t(key)}</th>
            <td class="num">{formatRupiah(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BudgetFacts({ budget }: { budget: BudgetUse }) {
  if (budget.ceiling === null) {
    return (
      <dl class="facts">
        <dt>{t('dues.owedToDate')}</dt>
        <dd>{formatRupiah(budget.owedToDate)}</dd>
        <dt>{t('dues.projected')}</dt>
        <dd>{formatRupiah(budget.projectedToPeriodEnd)}</dd>
        <dt>{t('dues.ceiling')}</dt>
        <dd>{t('dues.noCeiling')}</dd>
      </dl>
    );
  }
  return (
    <>
      <dl class="facts">
        <dt>{t('dues.ceiling')}</dt>
        <dd>{formatRupiah(budget.ceiling)}</dd>
        <dt>{t('dues.owedToDate')}</dt>
        <dd>
          {formatRupiah(budget.owedToDate)} ({formatPercent(budget.owedPercent)})
        </dd>
        <dt>{t('dues.projected')}</dt>
        <dd>
          {formatRupiah(budget.projectedToPeriodEnd)} ({formatPercent(budget.projectedPercent)})
        </dd>
        <dt>{t('dues.remaining')}</dt>
        <dd>{budget.remaining === null ? '—' : formatRupiah(budget.remaining)}</dd>
      </dl>
      <progress
        class="quota"
        max={budget.ceiling}
        value={Math.min(budget.owedToDate, budget.ceiling)}
        aria-label={`${t('dues.budget')}: ${formatPercent(budget.owedPercent)}`}
      />
    </>
  );
}

/** Owed against paid per month: the chart, then the same months as a table. */
export function MonthsChart({ months }: { months: ({ month: string } & MonthFigures)[] }) {
  if (months.length === 0) return null;
  return (
    <OwedPaidChart
      label={t('dues.chartLabel')}
      labels={months.map((m) => formatYearMonth(m.month))}
      owed={months.map((m) => m.owed)}
      paid={months.map((m) => m.paid)}
      names={{ owed: t('dues.owed'), paid: t('dues.paid') }}
    />
  );
}

/** The money columns every months table shares (header cells). */
export function FigureHeads() {
  return (
    <>
      <th scope="col" class="num">
        {t('dues.owed')}
      </th>
      <th scope="col" class="num">
        {t('dues.billed')}
      </th>
      <th scope="col" class="num">
        {t('dues.paid')}
      </th>
      <th scope="col" class="num">
        {t('dues.outstanding')}
      </th>
      <th scope="col" class="num">
        {t('dues.arrearsUpTo1')}
      </th>
      <th scope="col" class="num">
        {t('dues.arrears2')}
      </th>
      <th scope="col" class="num">
        {t('dues.arrears3')}
      </th>
      <th scope="col" class="num">
        {t('dues.arrearsOver3')}
      </th>
      <th scope="col" class="num">
        {t('dues.lapsed')}
      </th>
      <th scope="col" class="num">
        {t('dues.refundable')}
      </th>
    </>
  );
}

export function FigureCells({ f }: { f: MonthFigures }) {
  return (
    <>
      <td class="num">{formatRupiah(f.owed)}</td>
      <td class="num">{billed(f.billedByBpjs)}</td>
      <td class="num">{formatRupiah(f.paid)}</td>
      <td class="num">{formatRupiah(f.outstanding)}</td>
      <td class="num">{formatRupiah(f.arrears.upTo1)}</td>
      <td class="num">{formatRupiah(f.arrears.months2)}</td>
      <td class="num">{formatRupiah(f.arrears.months3)}</td>
      <td class="num">{formatRupiah(f.arrears.over3)}</td>
      <td class="num">{formatNumber(f.lapsedWorkers)}</td>
      <td class="num">{formatRupiah(f.refundable)}</td>
    </>
  );
}

/** CSV and XLSX of a report: the same URL with `format=` (the session cookie goes along). */
export function Downloads({ url, name }: { url: string; name: string }) {
  const sep = url.includes('?') ? '&' : '?';
  return (
    <p>
      <a href={`${url}${sep}format=csv`} download>
        {t('dues.downloadCsv')}
        <span class="visually-hidden"> — {name}</span>
      </a>
      {' · '}
      <a href={`${url}${sep}format=xlsx`} download>
        {t('dues.downloadXlsx')}
        <span class="visually-hidden"> — {name}</span>
      </a>
    </p>
  );
}

/**
 * A wide table in its own horizontally scrolling box: focusable and named, so a keyboard user
 * can scroll it too (at 360 px most of these tables are wider than the screen).
 */
export function TableBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
