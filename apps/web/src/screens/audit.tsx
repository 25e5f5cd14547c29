import { useState } from 'preact/hooks';
import type { User } from '../api';
import { Loading, Refusal, useGet } from '../components/common';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../format';
import { language, t } from '../i18n/i18n';

interface Entry {
  position: number;
  recordedAt: string;
  effectiveDate: string | null;
  actor: { id: string; role: string; scope: string | null };
  action: string;
  actionName: { id: string; en: string };
  sensitive: boolean;
  outsideOfficeHours: boolean;
  regionCode: string | null;
  programId: string | null;
  reason: string | null;
}

interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: string;
  signedAt: string;
  note: string;
}

/** The log's latest signed checkpoint and the key it verifies against (the integrity API). */
function Integrity() {
  const checkpoints = useGet<{ checkpoints: Checkpoint[] }>('/api/integrity/checkpoints');
  const key = useGet<{ publicKey: string; keyId: string; verifierKey: string }>('/api/integrity/public-key');
  const problem = checkpoints.problem ?? key.problem;
  if (problem) return <Refusal problem={problem} />;
  if (!checkpoints.data || !key.data) return <Loading />;
  const latest = [...checkpoints.data.checkpoints].sort((a, b) => b.treeSize - a.treeSize)[0];
  return (
    <section aria-labelledby="integrity-title">
      <h2 id="integrity-title">{t('audit.integrity')}</h2>
      <dl class="facts">
        <dt>{t('audit.keyId')}</dt>
        <dd data-testid="integrity-key-id">{key.data.keyId}</dd>
        <dt>{t('audit.publicKey')}</dt>
        <dd class="code">{key.data.verifierKey}</dd>
      </dl>
      <h3>{t('audit.checkpoint')}</h3>
      {!latest ? (
        <p>{t('audit.noCheckpoint')}</p>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('audit.treeSize')}</dt>
            <dd data-testid="integrity-tree-size">{formatNumber(latest.treeSize)}</dd>
            <dt>{t('audit.rootHash')}</dt>
            <dd class="code">{latest.rootHash}</dd>
            <dt>{t('audit.signedAt')}</dt>
            <dd>{formatDateTime(latest.signedAt)}</dd>
          </dl>
          <pre class="code" data-testid="integrity-note">
            {latest.note}
          </pre>
        </>
      )}
    </section>
  );
}

interface SummaryRow {
  month: string;
  key: string;
  role: string | null;
  total: number;
  outsideOfficeHours: number;
  uploads: number;
  uploadRejectionRate: number | null;
}

const ROLES = [
  'village_operator',
  'program_admin',
  'finance',
  'auditor',
  'viewer',
  'administrator',
  'system',
];
const FILTERS = ['actor', 'role', 'region', 'program', 'action', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string> & { sensitive: boolean };
const EMPTY: Filters = {
  actor: '',
  role: '',
  region: '',
  program: '',
  action: '',
  from: '',
  to: '',
  sensitive: false,
};
const PAGE = 50;

/** The filters as the API's query string (empty ones left out). */
function queryOf(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of FILTERS) if (filters[name].trim()) query.set(name, filters[name].trim());
  if (filters.sensitive) query.set('sensitive', 'true');
  return query;
}

/**
 * The audit trail of the user's region: filters, pages by cursor (the log position), the
 * exports of what is filtered, the oversight summary per actor or region, and the log's
 * latest signed checkpoint.
 */
export function AuditTrail({ user }: { user: User }) {
  const own = user.regions[0] === 'ID' ? '' : (user.regions[0] ?? '');
  const [draft, setDraft] = useState<Filters>({ ...EMPTY, region: own });
  const [filters, setFilters] = useState<Filters>({ ...EMPTY, region: own });
  // Cursors of the pages walked so far: the last is the page shown.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [by, setBy] = useState<'actor' | 'region'>('actor');
  const query = queryOf(filters);
  const cursor = cursors[cursors.length - 1];
  const pageQuery = new URLSearchParams(query);
  pageQuery.set('limit', String(PAGE));
  if (cursor !== null) pageQuery.set('after', String(cursor));
  const trail = useGet<{ entries: Entry[]; nextCursor: number | null }>(`/api/audit?${pageQuery}`);
  const summaryQuery = new URLSearchParams(query);
  summaryQuery.delete('sensitive');
  summaryQuery.set('by', by);
  const summary = useGet<{ rows: SummaryRow[]; truncated: boolean }>(`/api/audit/summary?${summaryQuery}`);
  if (trail.problem && trail.problem.status === 403) return <Refusal problem={trail.problem} />;

  const apply = (next: Filters) => {
    setFilters(next);
    setDraft(next);
    setCursors([null]);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    apply(draft);
  };
  const set = (name: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  const input = (name: (typeof FILTERS)[number], type: 'text' | 'date' = 'text', hint?: string) => (
    <div class="field">
      <label for={`audit-${name}`}>{t(`audit.${name}`)}</label>
      {hint && (
        <span class="hint" id={`audit-${name}-hint`}>
          {hint}
        </span>
      )}
      {type === 'date' ? (
        <input id={`audit-${name}`} type="date" value={draft[name]} onInput={set(name)} />
      ) : (
        <input
          id={`audit-${name}`}
          value={draft[name]}
          onInput={set(name)}
          {...(hint ? { 'aria-describedby': `audit-${name}-hint` } : {})}
        />
      )}
    </div>
  );
  const exportQuery = (format: string) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    return `/api/audit?${q}`;
  };
  const data = trail.data;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <form class="card form" role="search" onSubmit={submit} aria-label={t('audit.filters')} noValidate>
        <div class="filters">
          {input('actor')}
          <div class="field">
            <label for="audit-role">{t('audit.role')}</label>
            <select id="audit-role" value={draft.role} onChange={set('role')}>
              <option value="">{t('audit.anyRole')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r === 'system' ? t('audit.system') : t(`role.${r}`)}
                </option>
              ))}
            </select>
          </div>
          {input('region')}
          {input('program')}
          {input('action', 'text', t('audit.actionHint'))}
          {input('from', 'date')}
          {input('to', 'date')}
        </div>
        <label class="inline">
          <input
            type="checkbox"
            checked={draft.sensitive}
            onChange={(e) => setDraft({ ...draft, sensitive: (e.target as HTMLInputElement).checked })}
          />{' '}
          {t('audit.sensitive')}
        </label>
        <div class="actions">
          <button type="submit">{t('audit.apply')}</button>
          <button type="button" class="secondary" onClick={() => apply({ ...EMPTY, region: own })}>
            {t('audit.reset')}
          </button>
        </div>
      </form>
      <p>
        <a href={exportQuery('csv')}>{t('audit.downloadCsv')}</a> ·{' '}
        <a href={exportQuery('xlsx')}>{t('audit.downloadXlsx')}</a>
      </p>
      {trail.problem ? (
        <Refusal problem={trail.problem} />
      ) : !data || trail.loading ? (
        <Loading />
      ) : data.entries.length === 0 ? (
        <p role="status">{t('audit.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">{t('audit.recordedAt')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col">{t('audit.where')}</th>
                  <th scope="col">{t('audit.effective')}</th>
                  <th scope="col">{t('audit.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.position} data-position={e.position} data-action={e.action}>
                    <td>
                      {formatDateTime(e.recordedAt)}
                      {e.outsideOfficeHours && <span class="tag"> · {t('audit.outsideHours')}</span>}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="link"
                        aria-label={t('audit.byActor', { actor: e.actor.id })}
                        onClick={() => apply({ ...filters, actor: e.actor.id })}
                      >
                        {e.actor.id}
                      </button>{' '}
                      ·{' '}
                      {e.actor.role === 'system'
                        ? t('audit.system')
                        : t(`role.${e.actor.role}`, { defaultValue: e.actor.role })}
                    </td>
                    <td>
                      {language() === 'en' ? e.actionName.en : e.actionName.id}
                      {e.sensitive && <strong> · {t('audit.sensitiveMark')}</strong>}
                    </td>
                    <td>{e.regionCode ?? '—'}</td>
                    <td>{e.effectiveDate ? formatDate(e.effectiveDate) : '—'}</td>
                    <td>{e.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label={t('audit.pages')}>
            <span data-testid="audit-shown">
              {t('audit.shown', {
                page: formatNumber(cursors.length),
                count: formatNumber(data.entries.length),
              })}
            </span>
            <button
              type="button"
              class="secondary"
              disabled={cursors.length === 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t('audit.previous')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={data.nextCursor === null}
              onClick={() => setCursors([...cursors, data.nextCursor])}
            >
              {t('audit.next')}
            </button>
          </nav>
        </>
      )}
      <h2>{t('audit.summary')}</h2>
      <div class="field">
        <label for="audit-by">{t('audit.summaryBy')}</label>
        <select
          id="audit-by"
          value={by}
          onChange={(e) => setBy((e.target as HTMLSelectElement).value as 'actor')}
        >
          <option value="actor">{t('audit.byActorOption')}</option>
          <option value="region">{t('audit.byRegionOption')}</option>
        </select>
      </div>
      {summary.problem ? (
        <Refusal problem={summary.problem} />
      ) : !summary.data || summary.loading ? (
        <Loading />
      ) : summary.data.rows.length === 0 ? (
        <p>{t('audit.noSummary')}</p>
      ) : (
        <div class="table-wrap">
          {summary.data.truncated && <p>{t('audit.truncated')}</p>}
          <table data-testid="audit-summary">
            <thead>
              <tr>
                <th scope="col">{t('audit.month')}</th>
                <th scope="col">{t('audit.key')}</th>
                <th scope="col" class="num">
                  {t('audit.total')}
                </th>
                <th scope="col" class="num">
                  {t('audit.outsideHoursCount')}
                </th>
                <th scope="col" class="num">
                  {t('audit.uploads')}
                </th>
                <th scope="col" class="num">
                  {t('audit.rejectionRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.data.rows.map((r) => (
                <tr key={`${r.month} ${r.key}`} data-key={r.key}>
                  <td>{r.month}</td>
                  <td>{r.key}</td>
                  <td class="num">{formatNumber(r.total)}</td>
                  <td class="num">{formatNumber(r.outsideOfficeHours)}</td>
                  <td class="num">{formatNumber(r.uploads)}</td>
                  <td class="num">
                    {r.uploadRejectionRate === null ? '—' : formatPercent(r.uploadRejectionRate * 100)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Integrity />
    </section>
  );
}
