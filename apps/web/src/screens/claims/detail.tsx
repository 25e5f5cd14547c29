import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { formatDate, formatRupiah } from '../../format';
import { t } from '../../i18n/i18n';
import { filesClaims, paysClaims, type Claim, type StepWritten } from './claims';
import { DecisionForms, DocumentsForm, PayForm, SubmitForm } from './steps';

/** The day an instant fell on in WIB. */
const dayOf = (instant: string) => new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * One claim: its facts, eligibility and reasons, checklist, heirs (only for the roles that
 * read them), its steps, and the form for the next step the user may take.
 */
export function ClaimDetail({ id, user }: { id: string; user: User }) {
  const [written, setWritten] = useState<StepWritten | null>(null);
  // The claim is read from its stream: a step just written is in the next read.
  const claim = useGet<Claim>(`/api/claims/${id}`, written?.consistencyToken ?? 0);
  if (claim.problem) return <Refusal problem={claim.problem} />;
  const c = claim.data;
  if (!c) return <Loading />;
  const onDone = (w: StepWritten) => setWritten(w);
  const officer = filesClaims(user);
  return (
    <section aria-labelledby="claim-title">
      <Link href="/klaim">← {t('claims.back')}</Link>
      <h1 id="claim-title">{t('claims.claim', { kind: t(`claims.kinds.${c.kind}`) })}</h1>
      <dl class="facts">
        <dt>{t('claims.status')}</dt>
        <dd data-testid="claim-status">{t(`claims.statuses.${c.status}`, { defaultValue: c.status })}</dd>
        <dt>{t('claims.benefitLabel')}</dt>
        <dd>{t(`claims.benefits.${c.benefit}`)}</dd>
        <dt>{t('claims.participant')}</dt>
        <dd>
          {user.role === 'finance' || user.role === 'viewer' ? (
            c.villageCode
          ) : (
            <Link href={`/peserta/${c.participantId}`}>{c.villageCode}</Link>
          )}
        </dd>
        <dt>{t('claims.eventDate')}</dt>
        <dd>{formatDate(c.eventDate)}</dd>
        <dt>{t('claims.reportedOn')}</dt>
        <dd>{formatDate(c.reportedOn)}</dd>
        <dt>{t('claims.eligibility')}</dt>
        <dd data-testid="claim-eligible">{c.eligible ? t('claims.eligible') : t('claims.notEligible')}</dd>
        <dt>{t('claims.amount')}</dt>
        <dd data-testid="claim-amount">{c.amount === null ? '—' : formatRupiah(c.amount)}</dd>
      </dl>
      {written && (
        <p class="success" role="status">
          {t('claims.form.written', { status: t(`claims.statuses.${written.status}`) })}
        </p>
      )}
      <h2>{t('claims.reasonsTitle')}</h2>
      {c.reasons.length === 0 ? (
        <p>{t('claims.noReasons')}</p>
      ) : (
        <ul data-testid="claim-reasons">
          {c.reasons.map((r) => (
            <li key={r}>{t(`claims.reasons.${r}`, { defaultValue: r })}</li>
          ))}
        </ul>
      )}
      {c.breakdown.length > 0 && (
        <>
          <h2>{t('claims.breakdown')}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('claims.component')}</th>
                  <th scope="col">{t('claims.regulation')}</th>
                  <th scope="col" class="num">
                    {t('claims.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.breakdown.map((line) => (
                  <tr key={line.component}>
                    <td>{line.component}</td>
                    <td>{line.regulation}</td>
                    <td class="num">{formatRupiah(line.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>{t('claims.documentsTitle')}</h2>
      <ul>
        {c.requiredDocuments.map((d) => (
          <li key={d}>{t(`claims.documents.${d}`)}</li>
        ))}
      </ul>
      <h2>{t('claims.heirsTitle')}</h2>
      {c.heirsErased ? (
        <p>{t('claims.heirsErased')}</p>
      ) : c.heirsMasked || !c.heirs ? (
        <p data-testid="heirs-hidden">
          {t('claims.heirCount', { count: c.heirCount })}. {c.heirsMasked ? t('claims.heirsHidden') : ''}
        </p>
      ) : (
        <div class="table-wrap">
          <table data-testid="heirs">
            <thead>
              <tr>
                {(['name', 'nik', 'relationship', 'bankName', 'accountNumber'] as const).map((f) => (
                  <th scope="col" key={f}>
                    {t(`claims.heir.${f}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {c.heirs.map((h) => (
                <tr key={h.nik}>
                  <td>{h.name}</td>
                  <td>{h.nik}</td>
                  <td>{t(`claims.relationships.${h.relationship}`)}</td>
                  <td>{h.bankName}</td>
                  <td>{h.accountNumber}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('claims.stepsTitle')}</h2>
      <ol class="timeline" data-testid="claim-steps">
        {c.steps.map((s, i) => (
          <li key={i}>
            <strong>{t(`claims.steps.${s.type}`, { defaultValue: s.type })}</strong> ·{' '}
            {formatDate(dayOf(s.recordedAt))}
            {s.actor?.role ? ` · ${t(`role.${s.actor.role}`, { defaultValue: s.actor.role })}` : ''}
          </li>
        ))}
      </ol>
      {officer && c.status === 'filed' && <DocumentsForm key={c.status} claim={c} onDone={onDone} />}
      {officer && c.status === 'documents_complete' && (
        <SubmitForm key={c.status} claim={c} onDone={onDone} />
      )}
      {officer && c.status === 'submitted' && <DecisionForms key={c.status} claim={c} onDone={onDone} />}
      {paysClaims(user) && c.status === 'approved' && <PayForm key={c.status} claim={c} onDone={onDone} />}
    </section>
  );
}
