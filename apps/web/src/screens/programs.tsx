import { useState } from 'preact/hooks';
import type { User } from '../api';
import { Link, Loading, Refusal, useGet } from '../components/common';
import { formatDate, formatNumber, formatPercent, formatRupiah } from '../format';
import { t } from '../i18n/i18n';
import { AmendProgram } from './program-amend';
import { EstablishProgram } from './program-establish';
import { ProgramRoster, readsRoster } from './roster';

export interface Program {
  id: string;
  name: string;
  ownerRegion: string;
  payer: string;
  period: { from: string; to: string };
  quota: number;
  seatsInUse: number;
  status: 'open' | 'closed';
  closedOn: string | null;
  fundingSource: string;
  benefitPackage: string;
  ageCap: number;
  monthlyContribution: { total: number };
}

/** Establishing and amending programs is the program admin's (the API refuses anyone else). */
const administers = (user: User) => user.role === 'program_admin';

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

export function ProgramList({ user }: { user: User }) {
  const programs = useGet<{ programs: Program[] }>('/api/programs');
  const [establishing, setEstablishing] = useState(false);
  if (programs.problem) return <Refusal problem={programs.problem} />;
  return (
    <section aria-labelledby="programs-title">
      <h1 id="programs-title">{t('programs.title')}</h1>
      {administers(user) &&
        (establishing ? (
          <EstablishProgram user={user} onCancel={() => setEstablishing(false)} />
        ) : (
          <button type="button" onClick={() => setEstablishing(true)}>
            {t('programs.establish.open')}
          </button>
        ))}
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

export function ProgramDetail({ id, user }: { id: string; user: User }) {
  // After an amendment: read again once the read models reached the write.
  const [written, setWritten] = useState<{ token: number; notice: string } | null>(null);
  const after = written ? `consistentWith=${written.token}` : '';
  const program = useGet<Program>(`/api/programs/${id}${after ? `?${after}` : ''}`);
  const summary = useGet<Summary>(`/api/programs/${id}/summary${after ? `?${after}` : ''}`);
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
        <dd data-testid="period">
          {formatDate(p.period.from)} – {formatDate(p.period.to)}
        </dd>
        <dt>{t('programs.status')}</dt>
        <dd data-testid="status">
          {p.status === 'closed' && p.closedOn
            ? t('programs.closedOn', { date: formatDate(p.closedOn) })
            : t(`programs.${p.status}`)}
        </dd>
        <dt>{t('programs.establish.fundingSource')}</dt>
        <dd>{t(`funding.${p.fundingSource}`, { defaultValue: p.fundingSource })}</dd>
        <dt>{t('programs.establish.ageCap')}</dt>
        <dd>{p.ageCap}</dd>
        <dt>{t('programs.contribution')}</dt>
        <dd>{formatRupiah(p.monthlyContribution.total)}</dd>
        <dt>{t('programs.liability')}</dt>
        <dd data-testid="liability">{formatRupiah(s.monthlyLiability)}</dd>
      </dl>
      {written && (
        <p class="success" role="status">
          {written.notice}
        </p>
      )}
      <h2>{t('programs.quota')}</h2>
      <p data-testid="quota">
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
      {readsRoster(user.role) && <ProgramRoster programId={p.id} />}
      {administers(user) && p.status === 'open' && (
        <AmendProgram
          // New forms with the amended figures once the program was read again.
          key={`${p.quota} ${p.period.from} ${p.period.to}`}
          programId={p.id}
          quota={p.quota}
          period={p.period}
          onAmended={(w, notice) => setWritten({ token: w.consistencyToken, notice })}
        />
      )}
    </section>
  );
}
