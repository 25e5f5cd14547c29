import { useState } from 'preact/hooks';
import { RankingChart, TrendChart } from '../components/charts';
import { Link, Loading, Refusal, useGet } from '../components/common';
import { formatDate, formatMonth, formatNumber, formatPercent, monthsBefore, todayWib } from '../format';
import { t } from '../i18n/i18n';

interface Coverage {
  region: { code: string; name: string; level: string };
  date: string;
  active: number;
  baseline: { year: number; workingPopulation: number; source: string } | null;
  coverage: { ofWorkingPopulation: number | null; denominator: number | null; source: string | null };
  byProgram: { programId: string; name: string; active: number; quota: number; quotaUse: number }[];
  below: {
    code: string;
    name: string;
    level: string;
    active: number;
    workingPopulation: number | null;
    coverage: number | null;
  }[];
}
interface SeriesAnswer {
  points: { date: string; active: number; coverage: number | null }[];
}
interface RankingRow {
  rank: number | null;
  code: string;
  name: string;
  active: number;
  workingPopulation: number | null;
  coverage: number | null;
  previousRank: number | null;
  movement: 'up' | 'down' | 'same' | 'new' | null;
}
interface Rankings {
  ranking: RankingRow[];
}

const SHOWN = 50;
const CHARTED = 15;

function rankingUrl(level: string, code: string, date: string): string | null {
  if (level === 'national') return `/api/rankings?date=${date}`;
  if (level === 'province') return `/api/rankings?province=${code}&date=${date}`;
  if (level === 'regency') return `/api/rankings?regency=${code}&date=${date}`;
  return null; // districts and villages: the coverage answer's own list of what lies below
}

function movementText(row: RankingRow): string {
  if (!row.movement) return t('movement.none');
  const n = row.rank !== null && row.previousRank !== null ? Math.abs(row.previousRank - row.rank) : 0;
  return t(`movement.${row.movement}`, { n });
}

/**
 * A region's page: covered workers, coverage with its denominator, quota use, the monthly
 * trend and the regions below it ranked (table and bar chart), on any past date. Beranda is
 * this page for the user's own region; Wilayah drills down through the rows' links.
 */
export function RegionView({ code, title }: { code: string; title: string }) {
  const [date, setDate] = useState(todayWib());
  const coverage = useGet<Coverage>(`/api/coverage?region=${code}&date=${date}`);
  const series = useGet<SeriesAnswer>(
    `/api/coverage/series?region=${code}&from=${monthsBefore(date, 11)}&to=${date}`,
  );
  const level = coverage.data?.region.level;
  const rankings = useGet<Rankings>(level ? rankingUrl(level, code, date) : null);

  if (coverage.problem) return <Refusal problem={coverage.problem} />;
  const data = coverage.data;
  const rows: RankingRow[] =
    rankings.data?.ranking ??
    (data?.below ?? []).map((b) => ({ ...b, rank: null, previousRank: null, movement: null }));
  const ranked = [...rows].sort((a, b) => (b.coverage ?? -1) - (a.coverage ?? -1) || b.active - a.active);
  const seats = data?.byProgram.reduce((sum, p) => sum + p.active, 0) ?? 0;
  const quota = data?.byProgram.reduce((sum, p) => sum + p.quota, 0) ?? 0;

  return (
    <section aria-labelledby="region-title">
      <div class="title-row">
        <h1 id="region-title">
          {title}
          {data && <span class="subtitle"> — {data.region.name}</span>}
        </h1>
        <label class="inline">
          {t('home.date')}
          <input
            type="date"
            value={date}
            max={todayWib()}
            onChange={(e) => setDate((e.target as HTMLInputElement).value || todayWib())}
          />
        </label>
      </div>
      {!data ? (
        <Loading />
      ) : (
        <>
          <p class="muted">{formatDate(data.date)}</p>
          <div class="tiles">
            <div class="tile">
              <h2>{t('home.active')}</h2>
              <p class="figure" data-testid="active">
                {formatNumber(data.active)}
              </p>
            </div>
            <div class="tile">
              <h2>{t('home.coverage')}</h2>
              <p class="figure" data-testid="coverage">
                {formatPercent(data.coverage.ofWorkingPopulation)}
              </p>
              <p class="muted">
                {data.baseline
                  ? t('home.denominator', {
                      count: formatNumber(data.baseline.workingPopulation),
                      source: data.baseline.source,
                      year: data.baseline.year,
                    })
                  : t('home.noBaseline')}
              </p>
            </div>
            <div class="tile">
              <h2>{t('home.quota')}</h2>
              <p class="figure">{quota > 0 ? formatPercent((seats / quota) * 100) : '—'}</p>
              {quota > 0 && (
                <progress
                  max={quota}
                  value={seats}
                  aria-label={t('programs.quotaBar', {
                    seats: formatNumber(seats),
                    quota: formatNumber(quota),
                  })}
                />
              )}
            </div>
          </div>
          <h2>{t('home.trend')}</h2>
          {series.problem ? (
            <Refusal problem={series.problem} />
          ) : series.data ? (
            <TrendChart
              label={t('home.trendLabel')}
              labels={series.data.points.map((p) => formatMonth(p.date))}
              values={series.data.points.map((p) => p.active)}
            />
          ) : (
            <Loading />
          )}
          <h2>{t('home.below')}</h2>
          {rankings.loading ? (
            <Loading />
          ) : ranked.length === 0 ? (
            <p>{t('home.noRanking')}</p>
          ) : (
            <>
              <RankingChart
                label={t('home.belowLabel')}
                labels={ranked.slice(0, CHARTED).map((r) => r.name)}
                values={ranked.slice(0, CHARTED).map((r) => r.coverage ?? 0)}
              />
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('home.rank')}</th>
                      <th scope="col">{t('home.region')}</th>
                      <th scope="col" class="num">
                        {t('home.active')}
                      </th>
                      <th scope="col" class="num">
                        {t('home.workingPopulation')}
                      </th>
                      <th scope="col" class="num">
                        {t('home.coverage')}
                      </th>
                      <th scope="col">{t('home.movement')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ranked.slice(0, SHOWN).map((row) => (
                      <tr key={row.code}>
                        <td>{row.rank ?? '—'}</td>
                        <td>
                          <Link href={`/wilayah/${row.code}`}>{row.name}</Link>
                        </td>
                        <td class="num">{formatNumber(row.active)}</td>
                        <td class="num">
                          {row.workingPopulation === null ? '—' : formatNumber(row.workingPopulation)}
                        </td>
                        <td class="num">{formatPercent(row.coverage)}</td>
                        <td>{movementText(row)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {ranked.length > SHOWN && (
                <p class="muted">{t('home.shown', { shown: SHOWN, total: ranked.length })}</p>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
