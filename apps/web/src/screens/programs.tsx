import { Link, Loading, Refusal, useGet } from '../components/common';
import { formatDate, formatNumber, formatPercent, formatRupiah } from '../format';
import { t } from '../i18n/i18n';

export interface Program {
  id: string;
  name: string;
  ownerRegion: string;
  payer: string;
  period: { from: string; to: string };
  quota: number;
  seatsInUse: number;
  status: 'open' | 'closed';
  monthlyContribution: { total: number };
}

interface Summary {
  date: string;
  proposed: number;
  pending: number;
  approved: number;
  rejected: number;
  active: number;
  ended: number;
  quota: number;
  quotaUse: { seats: number; percent: number };
  deregistrationsByReason: Record<string, number>;
  monthlyContribution: number;
  monthlyLiability: number;
}

export function ProgramList() {
  const programs = useGet<{ programs: Program[] }>('/api/programs');
  if (programs.problem) return <Refusal problem={programs.problem} />;
  return (
    <section aria-labelledby="programs-title">
      <h1 id="programs-title">{t('programs.title')}</h1>
      {!programs.data ? (
        <Loading />
      ) : programs.data.programs.length === 0 ? (
        <p>{t('programs.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programs.name')}</th>
                <th scope="col">{t('programs.payer')}</th>
                <th scope="col">{t('programs.period')}</th>
                <th scope="col" class="num">
                  {t('programs.seats')}
                </th>
                <th scope="col" class="num">
                  {t('programs.quota')}
                </th>
                <th scope="col">{t('programs.status')}</th>
              </tr>
            </thead>
            <tbody>
              {programs.data.programs.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/program/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.payer}</td>
                  <td>
                    {formatDate(p.period.from)} – {formatDate(p.period.to)}
                  </td>
                  <td class="num">{formatNumber(p.seatsInUse)}</td>
                  <td class="num">{formatNumber(p.quota)}</td>
                  <td>{t(`programs.${p.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ProgramDetail({ id }: { id: string }) {
  const program = useGet<Program>(`/api/programs/${id}`);
  const summary = useGet<Summary>(`/api/programs/${id}/summary`);
  const problem = program.problem ?? summary.problem;
  if (problem) return <Refusal problem={problem} />;
  const p = program.data;
  const s = summary.data;
  if (!p || !s) return <Loading />;
  const reasons = Object.entries(s.deregistrationsByReason);
  const counts: [string, number][] = [
    ['programs.proposed', s.proposed],
    ['programs.pending', s.pending],
    ['programs.approved', s.approved],
    ['programs.rejected', s.rejected],
    ['programs.activeNow', s.active],
    ['programs.ended', s.ended],
  ];
  return (
    <section aria-labelledby="program-title">
      <Link href="/program">← {t('programs.back')}</Link>
      <h1 id="program-title">{p.name}</h1>
      <dl class="facts">
        <dt>{t('programs.payer')}</dt>
        <dd>{p.payer}</dd>
        <dt>{t('programs.owner')}</dt>
        <dd>{p.ownerRegion}</dd>
        <dt>{t('programs.period')}</dt>
        <dd>
          {formatDate(p.period.from)} – {formatDate(p.period.to)}
        </dd>
        <dt>{t('programs.contribution')}</dt>
        <dd>{formatRupiah(p.monthlyContribution.total)}</dd>
        <dt>{t('programs.liability')}</dt>
        <dd data-testid="liability">{formatRupiah(s.monthlyLiability)}</dd>
      </dl>
      <h2>{t('programs.quota')}</h2>
      <p>
        {t('programs.quotaBar', { seats: formatNumber(s.quotaUse.seats), quota: formatNumber(s.quota) })} (
        {formatPercent(s.quotaUse.percent)})
      </p>
      <progress class="quota" max={s.quota} value={s.quotaUse.seats} aria-label={t('programs.quota')} />
      <h2>{t('programs.summary')}</h2>
      <div class="tiles">
        {counts.map(([key, value]) => (
          <div class="tile" key={key}>
            <h3>{t(key)}</h3>
            <p class="figure">{formatNumber(value)}</p>
          </div>
        ))}
      </div>
      <h2>{t('programs.deregistrations')}</h2>
      {reasons.length === 0 ? (
        <p>{t('programs.noDeregistrations')}</p>
      ) : (
        <table>
          <tbody>
            {reasons.map(([reason, n]) => (
              <tr key={reason}>
                <th scope="row">{t(`reason.${reason}`, { defaultValue: reason })}</th>
                <td class="num">{formatNumber(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
