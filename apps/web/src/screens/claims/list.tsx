import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { Pager } from '../../components/pager';
import { formatDate, formatRupiah } from '../../format';
import { t } from '../../i18n/i18n';
import { KINDS, STATUSES, type ClaimListItem } from './claims';

const PAGE = 50;

/** The claims of the user's region, newest event first, narrowed by kind and status. */
export function ClaimList({ user }: { user: User }) {
  const region = user.regions[0] ?? '';
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState({ kind: '', status: '' });
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ region, offset: String(offset), limit: String(PAGE) });
  if (applied.kind) query.set('kind', applied.kind);
  if (applied.status) query.set('status', applied.status);
  const list = useGet<{ claims: ClaimListItem[]; page: { offset: number; limit: number; total: number } }>(
    `/api/claims?${query}`,
  );
  if (list.problem) return <Refusal problem={list.problem} />;
  const apply = (e: Event) => {
    e.preventDefault();
    setOffset(0);
    setApplied({ kind, status });
  };
  const data = list.data;
  return (
    <section aria-labelledby="claims-title">
      <h1 id="claims-title">{t('claims.title')}</h1>
      <p>{t('claims.intro')}</p>
      <p>
        <Link href="/klaim/laporan">{t('claims.openReport')}</Link>
      </p>
      <form class="card form inline-form" role="search" onSubmit={apply} aria-label={t('claims.filters')}>
        <div class="field">
          <label for="claims-kind">{t('claims.kind')}</label>
          <select
            id="claims-kind"
            value={kind}
            onChange={(e) => setKind((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('claims.anyKind')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`claims.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="claims-status">{t('claims.status')}</label>
          <select
            id="claims-status"
            value={status}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('claims.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`claims.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('claims.apply')}</button>
      </form>
      {!data || list.loading ? (
        <Loading />
      ) : data.claims.length === 0 ? (
        <p role="status">{t('claims.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="claims">
              <thead>
                <tr>
                  <th scope="col">{t('claims.kind')}</th>
                  <th scope="col">{t('claims.village')}</th>
                  <th scope="col">{t('claims.eventDate')}</th>
                  <th scope="col">{t('claims.status')}</th>
                  <th scope="col">{t('claims.eligibility')}</th>
                  <th scope="col" class="num">
                    {t('claims.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.claims.map((c) => (
                  <tr key={c.claimId} data-claim={c.claimId}>
                    <td>
                      <Link href={`/klaim/${c.claimId}`}>
                        {t(`claims.kinds.${c.kind}`)} · {t(`claims.benefits.${c.benefit}`)}
                      </Link>
                    </td>
                    <td>{c.villageCode}</td>
                    <td>{formatDate(c.eventDate)}</td>
                    <td>{t(`claims.statuses.${c.status}`, { defaultValue: c.status })}</td>
                    <td>{c.eligible ? t('claims.eligible') : t('claims.notEligible')}</td>
                    <td class="num">{c.amount === null ? '—' : formatRupiah(c.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            messages="claims"
            offset={data.page.offset}
            shown={data.claims.length}
            total={data.page.total}
            pageSize={PAGE}
            onOffset={setOffset}
          />
        </>
      )}
    </section>
  );
}
