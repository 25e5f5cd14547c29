import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { Field, GeneralError, useSubmit, valueOf } from '../../components/form';
import { formatDate, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { navigate } from '../../router';
import { BENEFITS, KINDS, RELATIONSHIPS } from './claims';

interface Person {
  id: string;
  villageCode: string;
  enrollments: { enrollmentId: string; programId: string; status: string; coverageFrom: string | null }[];
}

const HEIR = ['name', 'nik', 'relationship', 'bankName', 'accountNumber', 'phone'] as const;
const FIELDS = [
  'enrollmentId',
  'kind',
  'benefit',
  'eventDate',
  'reportedOn',
  'heirs',
  ...HEIR.map((f) => `heirs.0.${f}`),
];

const selected = (e: Event) => (e.target as HTMLSelectElement).value;

/**
 * Files a claim for a participant from their page: the enrollment it rests on, the kind and
 * benefit, the dates, and one heir. The API decides eligibility and answers the refused
 * fields, shown beside them.
 */
export function FileClaim({ participantId }: { participantId: string }) {
  const person = useGet<Person>(`/api/participants/${participantId}`);
  const { errors, busy, submit } = useSubmit(FIELDS);
  const [enrollmentId, setEnrollmentId] = useState('');
  const [kind, setKind] = useState<string>('JKM');
  const [benefit, setBenefit] = useState<string>('death');
  const [eventDate, setEventDate] = useState('');
  const [reportedOn, setReportedOn] = useState(todayWib());
  const [heir, setHeir] = useState<Record<string, string>>({ relationship: 'spouse' });
  if (person.problem) return <Refusal problem={person.problem} />;
  const p = person.data;
  if (!p) return <Loading />;
  const enrollments = p.enrollments.filter((e) => e.coverageFrom !== null);
  const chosen = enrollmentId || enrollments[0]?.enrollmentId || '';
  const send = async (e: Event) => {
    e.preventDefault();
    const filed = await submit(() =>
      api<{ claimId: string }>('POST', `/api/participants/${participantId}/claims`, {
        enrollmentId: chosen,
        kind,
        benefit,
        eventDate,
        reportedOn,
        heirs: [
          {
            name: heir.name ?? '',
            nik: heir.nik ?? '',
            relationship: heir.relationship,
            bankName: heir.bankName ?? '',
            accountNumber: heir.accountNumber ?? '',
            ...(heir.phone?.trim() ? { phone: heir.phone.trim() } : {}),
          },
        ],
      }),
    );
    if (filed) navigate(`/klaim/${filed.claimId}`);
  };
  const heirField = (name: (typeof HEIR)[number]) => (
    <Field
      name={`heirs.0.${name}`}
      id={`heir-${name}`}
      label={t(`claims.heir.${name}`)}
      errors={errors}
      key={name}
    >
      {(props) =>
        name === 'relationship' ? (
          <select
            {...props}
            value={heir.relationship}
            onChange={(e) => setHeir({ ...heir, relationship: selected(e) })}
          >
            {RELATIONSHIPS.map((r) => (
              <option key={r} value={r}>
                {t(`claims.relationships.${r}`)}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...props}
            value={heir[name] ?? ''}
            autoComplete="off"
            inputMode={name === 'nik' || name === 'accountNumber' || name === 'phone' ? 'numeric' : undefined}
            onInput={(e) => setHeir({ ...heir, [name]: valueOf(e) })}
          />
        )
      }
    </Field>
  );
  return (
    <section aria-labelledby="file-claim-title">
      <Link href={`/peserta/${participantId}`}>← {t('participant.history')}</Link>
      <h1 id="file-claim-title">{t('claims.file.title')}</h1>
      <p>{t('claims.file.intro')}</p>
      {enrollments.length === 0 ? (
        <p role="status">{t('claims.file.noEnrollment')}</p>
      ) : (
        <form class="card form" onSubmit={send} aria-labelledby="file-claim-title" noValidate>
          <GeneralError errors={errors} />
          <Field
            name="enrollmentId"
            id="claim-enrollment"
            label={t('claims.file.enrollment')}
            errors={errors}
          >
            {(props) => (
              <select {...props} value={chosen} onChange={(e) => setEnrollmentId(selected(e))}>
                {enrollments.map((e) => (
                  <option key={e.enrollmentId} value={e.enrollmentId}>
                    {`${t(`roster.statuses.${e.status}`, { defaultValue: e.status })} · ${formatDate(e.coverageFrom!)}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="kind" id="claim-kind" label={t('claims.file.kind')} errors={errors}>
            {(props) => (
              <select
                {...props}
                value={kind}
                onChange={(e) => {
                  setKind(selected(e));
                  if (selected(e) === 'JKM') setBenefit('death');
                }}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`claims.kinds.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="benefit" id="claim-benefit" label={t('claims.file.benefit')} errors={errors}>
            {(props) => (
              <select {...props} value={benefit} onChange={(e) => setBenefit(selected(e))}>
                {BENEFITS.filter((b) => kind === 'JKK' || b === 'death').map((b) => (
                  <option key={b} value={b}>
                    {t(`claims.benefits.${b}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="eventDate" id="claim-eventDate" label={t('claims.eventDate')} errors={errors}>
            {(props) => (
              <input {...props} type="date" value={eventDate} onInput={(e) => setEventDate(valueOf(e))} />
            )}
          </Field>
          <Field name="reportedOn" id="claim-reportedOn" label={t('claims.reportedOn')} errors={errors}>
            {(props) => (
              <input {...props} type="date" value={reportedOn} onInput={(e) => setReportedOn(valueOf(e))} />
            )}
          </Field>
          <h2>{t('claims.file.heirTitle')}</h2>
          <p class="hint">{t('claims.file.heirHint')}</p>
          {HEIR.map(heirField)}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('claims.file.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
