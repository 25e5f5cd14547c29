import { Loading, Refusal, useGet } from '../components/common';
import { formatNumber } from '../format';
import { t } from '../i18n/i18n';

interface Projections {
  head: number;
  projections: { name: string; state: string; position: number; lag: number; caughtUp: boolean }[];
}

/** Read models, how far each has read the log and how far it is behind. */
export function Operations() {
  const status = useGet<Projections>('/api/projections');
  if (status.problem) return <Refusal problem={status.problem} />;
  if (!status.data) return <Loading />;
  return (
    <section aria-labelledby="operations-title">
      <h1 id="operations-title">{t('operations.title')}</h1>
      <p>{t('operations.head', { head: formatNumber(status.data.head) })}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('operations.name')}</th>
              <th scope="col">{t('operations.state')}</th>
              <th scope="col" class="num">
                {t('operations.position')}
              </th>
              <th scope="col" class="num">
                {t('operations.lag')}
              </th>
            </tr>
          </thead>
          <tbody>
            {status.data.projections.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td>{p.caughtUp ? t('operations.caughtUp') : p.state}</td>
                <td class="num">{formatNumber(p.position)}</td>
                <td class="num">{formatNumber(p.lag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
